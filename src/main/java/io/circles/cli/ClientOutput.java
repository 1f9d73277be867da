package io.circles.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import io.circles.client.CircleRpcException;

/** How client commands print failures. */
final class ClientOutput {
    private ClientOutput() {
    }

    /** {@code error <code>: <message>}, then the script position and task id if known. */
    static void printError(Throwable failure, PrintStream err) {
        if (failure instanceof CircleRpcException rpc) {
            err.println("error " + rpc.code() + ": " + rpc.rpcMessage());
            String position = rpc.dataError();
            if (position != null && !rpc.rpcMessage().contains(position)) {
                err.println("  " + position);
            }
            if (rpc.code() == CircleRpcException.TIMEOUT && rpc.taskId() != null) {
                err.println("  task_id: " + rpc.taskId() + " (ask task_status later)");
            }
        } else {
            String message = String.valueOf(failure.getMessage());
            err.println("error: " + message);
            if (message.contains("TLS certificate is not trusted")) {
                err.println("  pass --cacert FILE with the CA that signed it (or, for a test server, --insecure)");
            }
        }
        err.flush();
    }

    /** Lines a script printed before it failed ({@code data.logs}). */
    static List<String> errorLogs(Throwable failure) {
        List<String> logs = new ArrayList<>();
        if (failure instanceof CircleRpcException rpc && rpc.data() != null && rpc.data().path("logs").isArray()) {
            rpc.data().get("logs").forEach(line -> logs.add(line.asText()));
        }
        return logs;
    }
}
