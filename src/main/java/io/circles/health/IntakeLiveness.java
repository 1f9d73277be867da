package io.circles.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import io.circles.worker.TaskWorker;
import io.circles.worker.WorkerConfig;

/**
 * Live unless the worker's intake thread has died, the one state this process cannot leave by itself. Busy
 * script threads, slow scripts and an unreachable Redis never make it fail: a hostile member must not be able
 * to get pods restarted, and a restart would not bring Redis back.
 */
@Liveness
@ApplicationScoped
public class IntakeLiveness implements HealthCheck {
    private final TaskWorker worker;
    private final boolean working;

    public IntakeLiveness(TaskWorker worker, WorkerConfig config) {
        this.worker = worker;
        this.working = config.enabled();
    }

    @Override
    public HealthCheckResponse call() {
        boolean dead = working && !worker.intakeThreadRunning();
        return HealthCheckResponse.named("Circles worker intake").status(!dead).build();
    }
}
