package io.circles.rhai.eval;

/** Called periodically (every 1024 operations) during evaluation. */
@FunctionalInterface
public interface ProgressListener {
    /** @return false to terminate the script (it fails with "Script terminated"). */
    boolean onProgress(long operations);
}
