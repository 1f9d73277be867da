package io.circles.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.circles.crypto.KeyPair;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --key}: a private key as hex, or {@code @FILE} holding the hex (as {@code keygen --out} writes it). */
public class PrivateKeyConverter implements ITypeConverter<KeyPair> {
    @Override
    public KeyPair convert(String value) {
        String hex = value;
        if (value.startsWith("@")) {
            Path file = Path.of(value.substring(1));
            try {
                hex = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new TypeConversionException("cannot read key file " + file + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        try {
            return KeyPair.fromPrivateKey(hex);
        } catch (IllegalArgumentException e) {
            // The message never repeats the value: it may be a real key with a typo.
            throw new TypeConversionException("not a private key (64 hex digits, or @FILE holding them)");
        }
    }
}
