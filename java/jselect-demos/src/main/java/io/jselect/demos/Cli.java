package io.jselect.demos;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/** Command-line conversions shared by the demos. */
final class Cli {
    private Cli() {
    }

    /** {@code seed} or {@code echo}. */
    static final class ModeConverter implements ITypeConverter<EchoServer.Mode> {
        @Override
        public EchoServer.Mode convert(String value) {
            switch (value.toLowerCase(Locale.ROOT)) {
                case "seed": return EchoServer.Mode.SEED;
                case "echo": return EchoServer.Mode.ECHO;
                default: throw new IllegalArgumentException("mode must be seed or echo, got '" + value + "'");
            }
        }
    }

    /** {@code select}, {@code poll}, {@code epoll}, {@code epoll-et} or {@code selectors}. */
    static final class MechanismConverter implements ITypeConverter<EchoServer.Mechanism> {
        @Override
        public EchoServer.Mechanism convert(String value) {
            return EchoServer.Mechanism.parse(value.toLowerCase(Locale.ROOT));
        }
    }
}
