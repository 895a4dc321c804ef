package io.jselect.testing;

import io.jselect.Epoll;
import io.jselect.JSelect;
import io.jselect.Poll;
import io.jselect.Select;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.InputStreamReader;
import java.util.List;

/**
 * A child JVM's main for FileObjectsTest: names its backend, reports whether {@code FileDescriptor.in} (a pipe from the
 * parent) is readable by select, poll and epoll, then blocks in select on {@code System.in} until the
 * parent writes, and echoes the line. One line of output per step, so the parent can follow.
 */
public final class StdinProbe {
    private StdinProbe() {
    }

    public static void main(String[] args) throws Exception {
        say("backend " + JSelect.backend());
        say("idle " + readable());
        var woken = Select.select(List.of(System.in), List.of(), List.of(), 30.0).readable();
        say("woke " + (woken.size() == 1 && woken.get(0) == System.in));
        say("ready " + readable());
        say("line " + new BufferedReader(new InputStreamReader(System.in)).readLine());
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Whether FileDescriptor.in is readable now, according to select, poll and epoll. */
    private static String readable() throws Exception {
        boolean select = !Select.select(List.of(FileDescriptor.in), List.of(), List.of(), 0.0).readable().isEmpty();
        Poll poll = Poll.create();
        poll.register(FileDescriptor.in, Poll.POLLIN);
        boolean polled = !poll.poll(0.0).isEmpty();
        try (Epoll epoll = Epoll.create()) {
            epoll.register(FileDescriptor.in, Epoll.EPOLLIN);
            return select + "," + polled + "," + !epoll.poll(0.0).isEmpty();
        }
    }
}
