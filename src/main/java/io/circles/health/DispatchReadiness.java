package io.circles.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.circles.config.CirclesConfig;
import io.circles.dispatch.ReplyListener;
import io.circles.worker.TaskWorker;
import io.circles.worker.WorkerConfig;

/**
 * Ready means this process can do its job now: a server when its reply path holds a live connection to Redis
 * (so a play's answer can reach it), a worker when its intake loop runs. Redis itself is checked by the Redis
 * client's own readiness check.
 */
@Readiness
@ApplicationScoped
public class DispatchReadiness implements HealthCheck {
    private final ReplyListener replies;
    private final TaskWorker worker;
    private final boolean server;
    private final boolean working;

    public DispatchReadiness(ReplyListener replies, TaskWorker worker, CirclesConfig config, WorkerConfig workerConfig) {
        this.replies = replies;
        this.worker = worker;
        this.server = config.server().enabled();
        this.working = workerConfig.enabled();
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Circles dispatch").up();
        if (server) {
            response.withData("reply path", replies.isListening() ? "listening" : "down");
            if (!replies.isListening()) {
                response.down();
            }
        }
        if (working) {
            response.withData("worker intake", worker.intakeAlive() ? "running" : "stopped");
            response.withData("script threads busy", worker.busyThreads() + "/" + worker.threadCount());
            if (!worker.intakeAlive()) {
                response.down();
            }
        }
        return response.build();
    }
}
