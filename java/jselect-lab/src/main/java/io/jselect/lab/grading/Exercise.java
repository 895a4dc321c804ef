package io.jselect.lab.grading;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The five exercises: where each one's code is, what it is called, and what its grader checks. */
public enum Exercise {
    EX1(1, "ex1.SelectEchoServer", "the select echo server", Set.of(23, 270), "select(2), through Select.select"),
    EX2(2, "ex2.PollEchoServer", "the same server on poll", Set.of(7, 271), "poll(2), through io.jselect.Poll"),
    EX3(3, "ex3.EpollEchoServer", "the edge-triggered epoll server", Set.of(232, 281, 441),
            "epoll_wait(2), through io.jselect.Epoll"),
    EX4(4, "ex4.ChatServer", "the chat room on DefaultSelector", Set.of(232, 281, 441),
            "epoll_wait(2), which DefaultSelector uses on Linux"),
    EX5(5, "ex5.ThreadedEchoServer", "a thread per connection", Set.of(), null);

    private final int number;
    private final String mainClass;
    private final String title;
    private final Set<Integer> waitSyscalls;
    private final String waitSyscallName;

    Exercise(int number, String mainClass, String title, Set<Integer> waitSyscalls, String waitSyscallName) {
        this.number = number;
        this.mainClass = mainClass;
        this.title = title;
        this.waitSyscalls = waitSyscalls;
        this.waitSyscallName = waitSyscallName;
    }

    /** Exercise {@code n}, 1 to 5. */
    public static Exercise of(int n) {
        for (Exercise e : values()) {
            if (e.number == n) {
                return e;
            }
        }
        throw new IllegalArgumentException("exercise must be 1, 2, 3, 4 or 5, got " + n);
    }

    public int number() {
        return number;
    }

    /** The package, which is also the exercise's folder under the exercises' source root: {@code ex1}. */
    public String pkg() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String mainClass() {
        return mainClass;
    }

    public String title() {
        return title;
    }

    /** The system calls (x86_64 numbers) the server should be found waiting in; empty for exercise 5. */
    Set<Integer> waitSyscalls() {
        return waitSyscalls;
    }

    String waitSyscallName() {
        return waitSyscallName;
    }

    /** What the grader checks, in order. */
    public List<Check> checks() {
        switch (this) {
            case EX4: return ChatChecks.all(this);
            default: return EchoChecks.all(this);
        }
    }
}
