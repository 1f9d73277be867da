package io.circles.rhai.api;

/** Supplies the source of a module for {@code import "path" as m;}. None is installed by default (no file access). */
@FunctionalInterface
public interface ModuleResolver {
    /** The module's Rhai source, or null when there is no such module. */
    String resolve(String path);
}
