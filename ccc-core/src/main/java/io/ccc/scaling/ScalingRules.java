package io.ccc.scaling;

import io.ccc.Config;
import java.time.Duration;
import java.util.Objects;

/**
 * What the fleet may do.
 *
 * @param min                   fewest workers (0 allows scaling to zero)
 * @param max                   most workers
 * @param slotsPerWorker        job slots of one worker (used to size scale-ups from the backlog)
 * @param scaleUpCooldown       least time between two scale-ups
 * @param scaleDownCooldown     least time between two scale-downs, and after a scale-up before a scale-down
 * @param idleBeforeScaleDown   how long a worker must have been idle (and the queue empty) before it may go
 * @param unhealthyGrace        how long a worker may be unhealthy before it is replaced
 * @param billingIncrement      if set (e.g. 1 hour), idle workers are only removed near the end of a paid
 *                              increment, since the rest of it is paid anyway; {@link Duration#ZERO} = off
 */
public record ScalingRules(int min, int max, int slotsPerWorker, Duration scaleUpCooldown, Duration scaleDownCooldown,
                           Duration idleBeforeScaleDown, Duration unhealthyGrace, Duration billingIncrement) {
    public ScalingRules {
        if (min < 0 || max < min || max < 1) {
            throw new IllegalArgumentException("need 0 <= min <= max and max >= 1, got min=" + min + " max=" + max);
        }
        if (slotsPerWorker < 1) {
            throw new IllegalArgumentException("slotsPerWorker must be >= 1");
        }
        Objects.requireNonNull(billingIncrement, "billingIncrement");
    }

    public static ScalingRules fromConfig(Config c) {
        return new ScalingRules(c.getInt("scaler.min", 0), c.getInt("scaler.max", 10), c.getInt("scaler.slots-per-worker", 2),
                c.getDuration("scaler.scale-up-cooldown", Duration.ofSeconds(30)),
                c.getDuration("scaler.scale-down-cooldown", Duration.ofMinutes(2)),
                c.getDuration("scaler.idle-before-scale-down", Duration.ofMinutes(5)),
                c.getDuration("scaler.unhealthy-grace", Duration.ofMinutes(3)),
                c.getDuration("scaler.billing-increment", Duration.ZERO));
    }

    public static ScalingRules of(int min, int max, int slotsPerWorker) {
        return new ScalingRules(min, max, slotsPerWorker, Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(5),
                Duration.ofMinutes(3), Duration.ZERO);
    }

    public ScalingRules withBillingIncrement(Duration increment) {
        return new ScalingRules(min, max, slotsPerWorker, scaleUpCooldown, scaleDownCooldown, idleBeforeScaleDown, unhealthyGrace, increment);
    }

    public ScalingRules withCooldowns(Duration up, Duration down) {
        return new ScalingRules(min, max, slotsPerWorker, up, down, idleBeforeScaleDown, unhealthyGrace, billingIncrement);
    }

    /** These rules within the fleet's own bounds. */
    public ScalingRules withLimits(int min, int max) {
        return new ScalingRules(min, Math.max(min, max), slotsPerWorker, scaleUpCooldown, scaleDownCooldown, idleBeforeScaleDown, unhealthyGrace,
                billingIncrement);
    }

}
