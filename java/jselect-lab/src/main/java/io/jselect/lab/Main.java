package io.jselect.lab;

import io.jselect.lab.experiments.ScalingCommand;
import io.jselect.lab.experiments.ServeCommand;
import io.jselect.lab.experiments.ThreadsVsEventsCommand;
import io.jselect.lab.grading.GradeCommand;
import io.jselect.lab.kit.KitCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar jselect-lab.jar <command>}: the course lab's experiments, graders and kit export. */
@Command(name = "jselect-lab", mixinStandardHelpOptions = true, version = "jselect lab 0.1.0",
        description = "The course lab on jselect: experiments with charts, exercise graders, the student kit. "
                + "See labs/README.md.",
        subcommands = {
            ScalingCommand.class,
            ThreadsVsEventsCommand.class,
            GradeCommand.class,
            KitCommand.class,
            ServeCommand.class,
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** Runs a command; a bad argument is one line naming it, not a stack trace. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println(commandLine.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(execute(args));
    }
}
