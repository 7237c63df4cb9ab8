package io.ccc.scaler.aws;

import io.ccc.Config;
import io.ccc.spi.Scaler;
import io.ccc.spi.ScalerProvider;

/** ServiceLoader entry: {@code scaler=aws} (used by default when {@code scaler.asg-name} or ASG_NAME is set). */
public final class AutoScalingGroupScalerProvider implements ScalerProvider {
    @Override
    public String name() {
        return "aws";
    }

    @Override
    public boolean configured(Config config) {
        return config.get("scaler.asg-name").isPresent() || (System.getenv("ASG_NAME") != null && !System.getenv("ASG_NAME").isBlank());
    }

    @Override
    public Scaler create(Config config) {
        return new AutoScalingGroupScaler(AutoScalingGroupScaler.Settings.fromConfig(config));
    }
}
