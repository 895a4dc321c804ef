package io.jselect.lab.grading;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Grades one exercise: compiles the student's code, runs the server as a child process and runs the
 * exercise's checks against it one by one, each with a time limit, restarting the server if a check
 * killed it. Prints a line per check, a teaching message for each failure, and the score.
 */
public final class Grader {
    private Grader() {
    }

    /** How a check ended. */
    public enum Status {
        PASS, FAIL, NOT_ATTEMPTED, NOT_SCORED
    }

    /** One check's outcome; {@code message} is empty when it passed. */
    public record Result(Check check, Status status, String message) {
    }

    /**
     * The whole outcome.
     *
     * @param compileErrors javac's errors when the code did not compile (then there are no results)
     */
    public record Report(Exercise exercise, List<Result> results, String compileErrors) {
        public int score() {
            return results.stream().filter(r -> r.status() == Status.PASS).mapToInt(r -> r.check().points()).sum();
        }

        /** Points of every check that was scored (a check this machine cannot observe is left out). */
        public int outOf() {
            return results.stream().filter(r -> r.status() != Status.NOT_SCORED).mapToInt(r -> r.check().points()).sum();
        }

        /** Every scored check passed and the code compiled. */
        public boolean allPassed() {
            return compileErrors == null && score() == outOf() && outOf() > 0;
        }

        /** The result of the check whose title starts with {@code title}. */
        public Result result(String title) {
            return results.stream().filter(r -> r.check().title().startsWith(title)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no check '" + title + "'"));
        }
    }

    /**
     * Grades exercise {@code e} from the sources under {@code sourceRoot} (the folder holding ex1 ... ex5).
     *
     * @param classpath the class path to compile against and run with: jselect and the lab
     * @param out where the report goes, check by check
     * @throws IOException when the sources cannot be read
     */
    public static Report grade(Exercise e, Path sourceRoot, String classpath, PrintStream out) throws IOException {
        return grade(e, sourceRoot, classpath, out, check -> true);
    }

    /** Grades with only the checks {@code only} accepts, and the basic ones (for the graders' own tests). */
    static Report grade(Exercise e, Path sourceRoot, String classpath, PrintStream out,
            java.util.function.Predicate<Check> only) throws IOException {
        out.printf("Exercise %d: %s (%s, from %s)%n", e.number(), e.title(), e.mainClass(), sourceRoot.resolve(e.pkg()));
        Path classes;
        try {
            classes = Compiler.compile(sourceRoot, e.pkg());
        } catch (Compiler.CompilationFailed f) {
            out.println("  your code does not compile:");
            out.println(f.getMessage().indent(4).stripTrailing());
            out.println("Score: 0 (fix the compile errors first)");
            return new Report(e, List.of(), f.getMessage());
        }
        List<Result> results = new ArrayList<>();
        Target target = new Target(e, classes, classpath);
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "grader-check");
            t.setDaemon(true); // a check stuck for good must not keep the grader alive
            return t;
        });
        String blockedBy = null;
        try {
            for (Check check : e.checks()) {
                if (!check.basic() && !only.test(check)) {
                    continue;
                }
                Result result;
                if (blockedBy != null) {
                    result = new Result(check, Status.NOT_ATTEMPTED, "not attempted: \"" + blockedBy + "\" must pass first");
                } else {
                    result = run(check, target, runner);
                    if (result.status() == Status.FAIL && check.basic()) {
                        blockedBy = check.title();
                    }
                }
                results.add(result);
                print(result, out);
            }
        } finally {
            target.stop();
            runner.shutdownNow();
        }
        Report report = new Report(e, results, null);
        long passed = results.stream().filter(r -> r.status() == Status.PASS).count();
        long scored = results.stream().filter(r -> r.status() != Status.NOT_SCORED).count();
        out.printf(Locale.ROOT, "Score: %d/%d (%d of %d checks passed)%s%n", report.score(), report.outOf(), passed, scored,
                report.allPassed() ? ": all done" : "");
        return report;
    }

    private static Result run(Check check, Target target, ExecutorService runner) {
        try {
            target.ensureRunning();
        } catch (IOException e) {
            return new Result(check, Status.FAIL, "your server did not start: " + e.getMessage());
        }
        target.markStderr();
        Future<?> running = runner.submit(() -> {
            check.body().run(target);
            return null;
        });
        try {
            running.get((long) (check.timeoutSeconds() * 1000), TimeUnit.MILLISECONDS);
            return new Result(check, Status.PASS, "");
        } catch (TimeoutException overrun) {
            target.closeClients(); // wakes the check wherever it waits on a connection
            running.cancel(true);
            return new Result(check, Status.FAIL, "the check did not finish in " + check.timeoutSeconds()
                    + " s: the server answered too slowly, or not at all" + died(target));
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof CheckFailed) {
                return new Result(check, Status.FAIL, cause.getMessage() + died(target));
            }
            if (cause instanceof Check.NotScored) {
                return new Result(check, Status.NOT_SCORED, "not scored: " + cause.getMessage());
            }
            return new Result(check, Status.FAIL, "the check itself failed (" + cause + ")" + died(target));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(check, Status.FAIL, "interrupted");
        } finally {
            target.closeClients();
        }
    }

    /**
     * If the server died during the check, its last words (the next check starts it again); if it lives
     * but printed something on stderr meanwhile, that.
     */
    private static String died(Target target) {
        if (target.server() == null) {
            return "";
        }
        if (target.server().isAlive()) {
            String printed = target.stderrSinceMark();
            return printed.isEmpty() ? "" : "\n  meanwhile your server printed on stderr:\n" + printed.indent(4).stripTrailing();
        }
        return "\n  your server exited (status " + target.server().exitStatus() + ")" + target.server().lastWords();
    }

    private static void print(Result r, PrintStream out) {
        String status;
        switch (r.status()) {
            case PASS: status = "PASS"; break;
            case FAIL: status = "FAIL"; break;
            case NOT_SCORED: status = "----"; break;
            default: status = "SKIP"; break;
        }
        String points = r.status() == Status.NOT_SCORED ? "  -  " : String.format("%2d/%-2d", r.status() == Status.PASS
                ? r.check().points() : 0, r.check().points());
        out.printf("  %s %s  %s%n", status, points, r.check().title());
        if (!r.message().isEmpty()) {
            out.println(r.message().indent(12).stripTrailing());
        }
    }
}
