package kz.rectorate.engines;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.elasticsearch.Version;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.http.HttpServerTransport;
import org.elasticsearch.node.ClasspathNode;

/**
 * Runs one single-node Elasticsearch cluster on 127.0.0.1 until the JVM is asked to stop (SIGTERM),
 * then closes the node cleanly. Arguments: HOME_DIR HTTP_PORT. The data lives under HOME_DIR.
 */
public final class EsNode {
    private EsNode() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: EsNode HOME_DIR HTTP_PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        Files.createDirectories(home.resolve("config"));
        Settings settings = Settings.builder()
            .put("cluster.name", "rectorate-test")
            .put("node.name", "rectorate-test")
            .put("path.home", home.toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("transport.port", port + 100)
            .put("discovery.type", "single-node")
            .put("node.processors", 1)
            .put("indices.breaker.total.use_real_memory", false)
            // A test node: never block writes because the shared disk is fuller than a production threshold.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.destructive_requires_name", false)
            .build();
        LogConfigurator.configureESLogging();
        ClasspathNode node = new ClasspathNode(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "es-node-stop"));
        node.start();
        int bound = node.injector().getInstance(HttpServerTransport.class).boundAddress().publishAddress().getPort();
        System.out.println("Elasticsearch " + Version.CURRENT + " listening on http://127.0.0.1:" + bound
            + " (Java " + Runtime.version() + ", heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB)");
        System.out.flush();
        stopped.await();
    }
}
