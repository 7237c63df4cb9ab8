package io.ccc.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccc.Config;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Lambda entry point, configured only by its environment-style settings, against the fake group. */
class ScalingLambdaTest {
    @Test
    void oneInvocationIsOneScalingRound() throws Exception {
        try (FakeAutoScaling aws = new FakeAutoScaling("ccc-workers", 1, 5)) {
            Config config = Config.of(Map.of("scaler.asg-name", "ccc-workers", "scaler.endpoint", aws.endpoint().toString(),
                    "scaler.access-key-id", "AKIDEXAMPLE", "scaler.secret-access-key", "secret", "scaler.min", "1"));
            Map<String, Object> out = new ScalingLambda(config).handleRequest(Map.of("source", "aws.events"));
            assertThat(out).containsEntry("desired", 1);
            assertThat((List<?>) out.get("reasons")).isNotEmpty();
            assertThat(aws.actions()).containsSequence("DescribeAutoScalingGroups", "SetDesiredCapacity");
            assertThat(aws.desired).isEqualTo(1);
        }
    }
}
