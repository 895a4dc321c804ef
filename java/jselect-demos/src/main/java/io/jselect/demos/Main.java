package io.jselect.demos;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar jselect-demos.jar <command>}: the lesson's programs on jselect. */
@Command(name = "jselect-demos", mixinStandardHelpOptions = true, version = "jselect demos 0.1.0",
        description = "The lesson's I/O multiplexing programs, on jselect.",
        subcommands = {
            ServerCommands.Echo.class,
            EchoClient.class,
            ServerCommands.Selectors.class,
            ChatServer.Command.class,
            ChatClient.class,
            ServerCommands.Threaded.class,
            Race.class,
            EchoLoad.class,
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
