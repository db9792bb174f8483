package dev.kure.neo4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.Version;

/**
 * Runs Neo4j Community in-process on loopback with auth disabled, for local integration tests.
 *
 * <p>Usage: {@code Main --work-dir DIR --bolt-port 7687 --http-port 7474 [--ready-file FILE]}, or
 * {@code Main --data-dir DIR --bolt-port PORT [--ready-file FILE]}. The ready file is written (atomically) only
 * once Bolt accepts TCP connections, so the Python supervisor never reports a half-started server.
 *
 * <p>Two modes, because the tests need two kinds of server:
 * <ul>
 *   <li><b>harness</b> ({@code --work-dir}, the shared server of {@code services.py up}): the neo4j test harness,
 *       with HTTP and the Browser; a {@code --http-port} of 0 disables HTTP. The harness puts every run into a
 *       fresh random sub-folder of DIR, so a restarted server comes back empty — what a shared test server wants.
 *   <li><b>persistent</b> ({@code --data-dir}, {@code services.start_neo4j}): an embedded DBMS whose home is DIR
 *       itself, so the data survives a stop/start — what a "Neo4j restarts mid-stream" test needs. Bolt only:
 *       the HTTP connector belongs to the server bootstrap, which the embedded builder does not run.
 * </ul>
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path workDir = null;
        Path dataDir = null;
        Path readyFile = null;
        int boltPort = 7687;
        int httpPort = 7474;
        boolean httpPortGiven = false;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--work-dir" -> workDir = Path.of(require(args[i], value));
                case "--data-dir" -> dataDir = Path.of(require(args[i], value));
                case "--ready-file" -> readyFile = Path.of(require(args[i], value));
                case "--bolt-port" -> boltPort = Integer.parseInt(require(args[i], value));
                case "--http-port" -> {
                    httpPort = Integer.parseInt(require(args[i], value));
                    httpPortGiven = true;
                }
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
            i++;
        }
        if (workDir == null && dataDir == null) {
            throw new IllegalArgumentException("--work-dir is required");
        }
        if (workDir != null && dataDir != null) {
            throw new IllegalArgumentException("--work-dir and --data-dir exclude each other");
        }
        if (dataDir != null && httpPortGiven && httpPort > 0) {
            throw new IllegalArgumentException("--data-dir mode has no HTTP connector; leave out --http-port");
        }

        AutoCloseable dbms;
        String boltUri;
        String httpUri;
        if (dataDir == null) {
            Neo4j neo4j = startHarness(workDir, boltPort, httpPort);
            dbms = neo4j::close;
            boltUri = neo4j.boltURI().toString();
            httpUri = httpPort > 0 && neo4j.httpURI() != null ? neo4j.httpURI().toString() : "";
        } else {
            DatabaseManagementService service = startPersistent(dataDir, boltPort);
            dbms = service::shutdown;
            boltUri = "bolt://127.0.0.1:" + boltPort;
            httpUri = "";
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Path finalReadyFile = readyFile;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // SIGTERM from `services.py down` / `stop_process`: close the store cleanly so the next start
            // needs no recovery (in persistent mode the next start reopens this very store).
            try {
                if (finalReadyFile != null) {
                    Files.deleteIfExists(finalReadyFile);
                }
            } catch (IOException ignored) {
                // the supervisor treats a stale ready file as "not running" once the pid is gone
            }
            try {
                dbms.close();
            } catch (Exception exc) {
                exc.printStackTrace();
            }
            stopped.countDown();
        }, "kure-neo4j-shutdown"));

        waitForBolt(boltPort);
        String version = Version.getNeo4jVersion();
        String ready = String.format(
                "{\"version\": \"%s\", \"edition\": \"community\", \"bolt\": \"%s\", \"http\": \"%s\", \"pid\": %d}%n",
                version, boltUri, httpUri, ProcessHandle.current().pid());
        if (readyFile != null) {
            Path tmp = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
            Files.writeString(tmp, ready, StandardCharsets.UTF_8);
            Files.move(tmp, readyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        System.out.println("KURE-NEO4J READY " + ready.strip());
        System.out.flush();
        stopped.await();
    }

    /** Harness mode: a throw-away server in a fresh random sub-folder of workDir. */
    private static Neo4j startHarness(Path workDir, int boltPort, int httpPort) throws IOException {
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
        return builder.build();
    }

    /** Persistent mode: an embedded DBMS whose home (data/, logs/) is dataDir, reopened by the next start. */
    private static DatabaseManagementService startPersistent(Path dataDir, int boltPort) throws IOException {
        Files.createDirectories(dataDir);
        return new DatabaseManagementServiceBuilder(dataDir)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress("127.0.0.1"))
                // Same small page cache as the harness; no 250 MB pre-allocated transaction log in a test folder.
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(8))
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Netty waits a 5 s quiet period per event-loop group (twice) before Bolt is down; a test that
                // stops and starts this server wants SIGTERM to take ~1 s, and it has no clients left to drain.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", boltPort))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", boltPort))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .build();
    }

    private static String require(String flag, String value) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }

    private static void waitForBolt(int port) throws InterruptedException {
        // The DBMS is started when build() returns; the Bolt listener is bound by then, but check anyway.
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
