package dev.kure.neo4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.kernel.internal.Version;

/**
 * Runs Neo4j Community in-process (test harness) on loopback with auth disabled, for local integration tests.
 *
 * <p>Usage: {@code Main --work-dir DIR --bolt-port 7687 --http-port 7474 [--ready-file FILE]}. A
 * {@code --http-port} of 0 disables the HTTP connector. The ready file is written (atomically) only once Bolt
 * accepts TCP connections, so the Python supervisor never reports a half-started server.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path workDir = null;
        Path readyFile = null;
        int boltPort = 7687;
        int httpPort = 7474;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--work-dir" -> workDir = Path.of(require(args[i], value));
                case "--ready-file" -> readyFile = Path.of(require(args[i], value));
                case "--bolt-port" -> boltPort = Integer.parseInt(require(args[i], value));
                case "--http-port" -> httpPort = Integer.parseInt(require(args[i], value));
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
            i++;
        }
        if (workDir == null) {
            throw new IllegalArgumentException("--work-dir is required");
        }
        Files.createDirectories(workDir);

        var builder = Neo4jBuilders.newInProcessBuilder(workDir)
                .withConfig(GraphDatabaseSettings.auth_enabled, false)
                .withConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress("127.0.0.1"))
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", boltPort))
                .withConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", boltPort))
                .withConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED);
        if (httpPort > 0) {
            builder = builder
                    .withConfig(HttpConnector.enabled, true)
                    .withConfig(HttpConnector.listen_address, new SocketAddress("127.0.0.1", httpPort))
                    .withConfig(HttpConnector.advertised_address, new SocketAddress("127.0.0.1", httpPort));
        } else {
            builder = builder.withDisabledServer();
        }

        Neo4j neo4j = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Path finalReadyFile = readyFile;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // SIGTERM from `services.py down`: close the store cleanly so the next start needs no recovery.
            try {
                if (finalReadyFile != null) {
                    Files.deleteIfExists(finalReadyFile);
                }
            } catch (IOException ignored) {
                // the supervisor treats a stale ready file as "not running" once the pid is gone
            }
            neo4j.close();
            stopped.countDown();
        }, "kure-neo4j-shutdown"));

        waitForBolt(boltPort);
        String version = Version.getNeo4jVersion();
        String httpUri = httpPort > 0 && neo4j.httpURI() != null ? neo4j.httpURI().toString() : "";
        String ready = String.format(
                "{\"version\": \"%s\", \"edition\": \"community\", \"bolt\": \"%s\", \"http\": \"%s\", \"pid\": %d}%n",
                version, neo4j.boltURI(), httpUri, ProcessHandle.current().pid());
        if (readyFile != null) {
            Path tmp = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
            Files.writeString(tmp, ready, StandardCharsets.UTF_8);
            Files.move(tmp, readyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        System.out.println("KURE-NEO4J READY " + ready.strip());
        System.out.flush();
        stopped.await();
    }

    private static String require(String flag, String value) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }

    private static void waitForBolt(int port) throws InterruptedException {
        // The harness returns once the DBMS is started; the Bolt listener is bound by then, but check anyway.
        for (int attempt = 0; attempt < 600; attempt++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("Bolt did not open on 127.0.0.1:" + port);
    }
}
