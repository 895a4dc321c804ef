package io.jselect.system;

import io.jselect.demos.EchoServer;
import io.jselect.demos.ThreadedEchoServer;
import java.io.IOException;
import java.util.List;

/** Every echo server implementation, started in-process on a free port. */
enum Servers {
    SELECT(EchoServer.Mechanism.SELECT),
    POLL(EchoServer.Mechanism.POLL),
    EPOLL(EchoServer.Mechanism.EPOLL),
    EPOLL_ET(EchoServer.Mechanism.EPOLL_ET),
    SELECTORS(EchoServer.Mechanism.SELECTORS),
    THREADED(null);

    private final EchoServer.Mechanism mechanism;

    Servers(EchoServer.Mechanism mechanism) {
        this.mechanism = mechanism;
    }

    static final List<Servers> MULTIPLEXED = List.of(SELECT, POLL, EPOLL, EPOLL_ET, SELECTORS);

    EchoServer.Running start(EchoServer.Mode mode) throws IOException {
        return start(EchoServer.Config.defaults().withPort(0).withMode(mode));
    }

    EchoServer.Running start(EchoServer.Config config) throws IOException {
        return mechanism == null ? ThreadedEchoServer.start(config) : EchoServer.start(config.withMechanism(mechanism));
    }
}
