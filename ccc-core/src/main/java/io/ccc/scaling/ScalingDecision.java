package io.ccc.scaling;

import java.util.List;

/**
 * What to do, as data: the desired size, the idle workers to terminate (the fleet shrinks by one each),
 * the unhealthy ones to replace (terminated, the fleet keeps its size so a new one starts), and why.
 */
public record ScalingDecision(int desired, List<String> terminate, List<String> replace, List<String> reasons) {
    public ScalingDecision {
        terminate = List.copyOf(terminate);
        replace = List.copyOf(replace);
        reasons = List.copyOf(reasons);
    }

    public boolean changes(int currentDesired) {
        return desired != currentDesired || !terminate.isEmpty() || !replace.isEmpty();
    }
}
