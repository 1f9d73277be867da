package io.circles.support;

import java.time.Duration;
import java.util.Map;

import io.circles.dispatch.TaskHash;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/** Plain Redis commands for tests that play the other side of the protocol. */
public final class RawRedis {
    private final Redis redis;

    public RawRedis(Redis redis) {
        this.redis = redis;
    }

    public Response cmd(Command command, Object... args) {
        Request request = Request.cmd(command);
        for (Object arg : args) {
            request.arg(String.valueOf(arg));
        }
        return redis.send(request).await().atMost(Duration.ofSeconds(30));
    }

    public String string(Command command, Object... args) {
        Response response = cmd(command, args);
        return response == null ? null : response.toString();
    }

    public Map<String, String> hash(String key) {
        return TaskHash.toMap(cmd(Command.HGETALL, key));
    }
}
