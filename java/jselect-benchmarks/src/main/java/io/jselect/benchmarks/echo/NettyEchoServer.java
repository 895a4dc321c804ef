package io.jselect.benchmarks.echo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The Netty baseline of the echo comparison: Netty's native epoll transport (edge-triggered, its
 * default) on ONE event-loop thread that runs the listener and every connection, and the handler of
 * Netty's own echo example: each buffer read is written back, and flushed when the read batch is done.
 * Netty's defaults otherwise (its pooled allocator, its leak detector's sampling), as users run it.
 */
public final class NettyEchoServer {
    private NettyEchoServer() {
    }

    /**
     * Binds, listens and starts the event loop.
     *
     * @param host the address to bind
     * @param port the port, 0 for any free one
     * @return the running server
     * @throws InterruptedException when interrupted while binding
     * @throws UnsatisfiedLinkError when Netty's native epoll cannot load here
     */
    public static RunningServer start(String host, int port) throws InterruptedException {
        Epoll.ensureAvailability();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Channel listener;
        try {
            listener = new ServerBootstrap()
                    .group(group) // one loop for the listener and the connections: a single-threaded server
                    // IPv4, as the other servers: Netty (and java.nio) would otherwise open a dual-stack IPv6 socket.
                    .channelFactory(() -> new EpollServerSocketChannel(SocketProtocolFamily.INET))
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(EchoHandler.INSTANCE)
                    .bind(host, port).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        return RunningServer.of(((InetSocketAddress) listener.localAddress()).getPort(), () -> {
            listener.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        });
    }

    /** Netty's echo example handler: write what was read, flush once per read batch. */
    @Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        static final EchoHandler INSTANCE = new EchoHandler();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client gone with a reply in flight: that client only
        }
    }
}
