package io.ccc.scaler.aws;

import io.ccc.Config;
import io.ccc.scaling.ScalingDecision;
import io.ccc.scaling.ScalingLoop;
import io.ccc.scaling.ScalingRules;
import io.ccc.spi.Backends;
import io.ccc.spi.JobStore;
import io.ccc.spi.JobStoreProvider;
import io.ccc.spi.Queue;
import io.ccc.spi.QueueProvider;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scaling loop as an AWS Lambda (the seed's deployment): schedule it every minute with EventBridge, handler
 * {@code io.ccc.scaler.aws.ScalingLambda::handleRequest}. Each invocation is one round: it reads the queue and the
 * workers from the job store (Redis: set CCC_REDIS_URI or REDIS_HOST), the group from Auto Scaling
 * (CCC_SCALER_ASG_NAME or ASG_NAME), and acts. It takes the same "scaler" lead as servers do, so a server loop
 * and the Lambda never act at once. Returns the decision, which the Lambda console shows.
 */
public final class ScalingLambda {
    private final Config config;

    public ScalingLambda() {
        this(Config.fromEnvironment());
    }

    ScalingLambda(Config config) {
        this.config = config;
    }

    public Map<String, Object> handleRequest(Map<String, Object> event) {
        try (Queue queue = Backends.select(QueueProvider.class, "queue", config).orElseThrow().create(config);
             JobStore store = Backends.select(JobStoreProvider.class, "store", config).orElseThrow().create(config);
             AutoScalingGroupScaler scaler = new AutoScalingGroupScaler(AutoScalingGroupScaler.Settings.fromConfig(config));
             ScalingLoop loop = new ScalingLoop(queue, store, scaler, ScalingRules.fromConfig(config), "lambda")) {
            Map<String, Object> out = new LinkedHashMap<>();
            if (!store.lead("scaler", "lambda", java.time.Duration.ofSeconds(90))) {
                out.put("skipped", "another process holds the scaler lead");
                return out;
            }
            ScalingDecision d = loop.runOnce();
            out.put("desired", d.desired());
            out.put("terminate", d.terminate());
            out.put("replace", d.replace());
            out.put("reasons", d.reasons());
            return out;
        }
    }
}
