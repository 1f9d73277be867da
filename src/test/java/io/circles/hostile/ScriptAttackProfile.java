package io.circles.hostile;

import java.util.Map;
import java.util.Set;

/**
 * {@link HostileProfile} with small byte quotas, so a few 260 KB scripts reach them: 1 MiB queued per caller, 3 MiB
 * per circle, 2 MiB unanswered per address. The engine also knows the test's host functions
 * ({@link HostileHostFunctions}: a gate that holds script threads, a stack overflow and an OutOfMemoryError), and
 * lets scripts recurse deep enough to overflow a 1 MiB script-thread stack for real.
 */
public class ScriptAttackProfile extends HostileProfile {
    static final int CALLER_QUOTA = 1 << 20;
    static final int CIRCLE_QUOTA = 3 << 20;
    static final int ADDRESS_QUOTA = 2 << 20;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = super.getConfigOverrides();
        config.put("circles.dispatch.max-queued-bytes-per-caller", Integer.toString(CALLER_QUOTA));
        config.put("circles.dispatch.max-queued-bytes-per-circle", Integer.toString(CIRCLE_QUOTA));
        config.put("circles.limits.max-queued-script-bytes-per-address", Integer.toString(ADDRESS_QUOTA));
        config.put("circles.worker.max-call-depth", "1000000");
        config.put("circles.worker.thread-stack-bytes", Integer.toString(1 << 20));
        return config;
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(HostileHostFunctions.class);
    }
}
