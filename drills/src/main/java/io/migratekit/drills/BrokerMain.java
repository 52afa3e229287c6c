package io.migratekit.drills;

import io.migratekit.infra.KafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The main class of the broker process in a drill: {@code BrokerMain <data dir> <port> <controller
 * port>} runs the infra module's single-node KRaft broker on loopback until the process ends, so the
 * harness can kill it (SIGKILL) and start it again on the same data and ports. Owns nothing else.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        KafkaBroker broker = KafkaBroker.start(Path.of(args[0]), "127.0.0.1", Integer.parseInt(args[1]),
                Integer.parseInt(args[2]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));
        System.out.println("BROKER READY " + broker.bootstrapServers());
        stopped.await();
    }
}
