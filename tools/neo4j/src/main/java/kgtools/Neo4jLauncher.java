package kgtools;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.cli.ExecutionContext;
import org.neo4j.commandline.admin.security.SetInitialPasswordCommand;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.Transaction;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import picocli.CommandLine;

/**
 * Starts an embedded Neo4j Community DBMS with Bolt on 127.0.0.1 only.
 *
 * <pre>
 * java kgtools.Neo4jLauncher [--port N] [--data DIR] [--password-file F]
 *                            [--tx-timeout 60s] [--pagecache 256m] [--conf neo4j.conf]
 * </pre>
 *
 * Every option falls back to an env var (KG_NEO4J_PORT, KG_NEO4J_DATA, KG_NEO4J_PASSWORD_FILE,
 * KG_NEO4J_TX_TIMEOUT, KG_NEO4J_PAGECACHE, KG_NEO4J_CONF); the password may also come from
 * KG_NEO4J_PASSWORD. It is never printed. Port 0 picks a free port. Prints exactly one line to
 * stdout, "READY bolt://127.0.0.1:PORT", once Bolt accepts connections; logs go to stderr and
 * DIR/logs. SIGTERM shuts the DBMS down cleanly.
 */
public final class Neo4jLauncher {
    private static final String USER = "neo4j";

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parseArgs(args);
        int port = Integer.parseInt(opt(opts, "port", "KG_NEO4J_PORT", "7687"));
        Path home = Path.of(opt(opts, "data", "KG_NEO4J_DATA", "data")).toAbsolutePath();
        String password = readPassword(opts);
        String conf = opt(opts, "conf", "KG_NEO4J_CONF", null);

        Files.createDirectories(home);
        boolean fresh = !Files.isDirectory(home.resolve("data/databases/system"));
        if (fresh) {
            setInitialPassword(home, password);
        }

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress("127.0.0.1"))
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress("127.0.0.1"))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                // netty's default 5 s quiet period (per event loop group) makes shutdown take ~11 s
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.transaction_timeout,
                        SettingValueParsers.DURATION.parse(opt(opts, "tx-timeout", "KG_NEO4J_TX_TIMEOUT", "60s")))
                .setConfig(GraphDatabaseSettings.pagecache_memory,
                        SettingValueParsers.BYTES.parse(opt(opts, "pagecache", "KG_NEO4J_PAGECACHE", "256m")));
        if (conf != null) {
            builder.loadPropertiesFromFile(Path.of(conf));
        }

        DatabaseManagementService dbms = builder.build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("neo4j: shutting down");
            dbms.shutdown();
        }, "neo4j-shutdown"));

        GraphDatabaseAPI db = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(300_000)) {
            System.err.println("neo4j: default database did not become available");
            System.exit(1);
        }
        // The password source may have changed since the store was made: re-apply it then (a Cypher
        // ALTER USER costs ~3 s on a cold JVM, so a salted fingerprint file says when it is needed).
        Path stamp = home.resolve("data/dbms/launcher-password.sha256");
        if (fresh || (!matchesStamp(stamp, password) && syncPassword(dbms, password))) {
            writeStamp(stamp, password);
        }
        HostnamePort bolt = db.getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT);
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(bolt.getHost(), bolt.getPort()), 10_000);
        }
        System.out.println("READY bolt://" + bolt.getHost() + ":" + bolt.getPort());
        System.out.flush();
        new CountDownLatch(1).await(); // until SIGTERM/SIGINT runs the shutdown hook
    }

    /** neo4j-admin dbms set-initial-password, in-process: writes DIR/data/dbms/auth.ini before first start. */
    private static void setInitialPassword(Path home, String password) {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        ExecutionContext ctx = new ExecutionContext(home, home.resolve("conf"), quiet, System.err,
                new DefaultFileSystemAbstraction());
        int rc = new CommandLine(new SetInitialPasswordCommand(ctx)).execute("--", password);
        if (rc != 0) {
            System.err.println("neo4j: set-initial-password failed (exit " + rc + ")");
            System.exit(1);
        }
        System.err.println("neo4j: new store in " + home + ", initial password of user '" + USER + "' set");
    }

    /** Returns true when user neo4j now has this password. */
    private static boolean syncPassword(DatabaseManagementService dbms, String password) {
        try (Transaction tx = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).beginTx()) {
            tx.execute("ALTER USER " + USER + " SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            tx.commit();
            System.err.println("neo4j: password of user '" + USER + "' updated from the password source");
            return true;
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage()).replace(password, "***");
            if (msg.contains("cannot be the same")) return true;
            System.err.println("neo4j: could not update the password: " + msg);
            return false;
        }
    }

    private static String fingerprint(String salt, String password) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256")
                .digest((salt + ":" + password).getBytes(StandardCharsets.UTF_8));
        return salt + ":" + HexFormat.of().formatHex(d);
    }

    private static boolean matchesStamp(Path stamp, String password) throws Exception {
        if (!Files.isRegularFile(stamp)) return false;
        String saved = Files.readString(stamp).strip();
        int colon = saved.indexOf(':');
        return colon > 0 && saved.equals(fingerprint(saved.substring(0, colon), password));
    }

    private static void writeStamp(Path stamp, String password) throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        Files.deleteIfExists(stamp);
        Files.createFile(stamp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(stamp, fingerprint(HexFormat.of().formatHex(salt), password) + "\n");
    }

    private static String readPassword(Map<String, String> opts) throws Exception {
        String file = opt(opts, "password-file", "KG_NEO4J_PASSWORD_FILE", null);
        String pw = file != null
                ? Files.readString(Path.of(file), StandardCharsets.UTF_8).strip()
                : System.getenv("KG_NEO4J_PASSWORD");
        if (pw == null || pw.isEmpty()) {
            System.err.println("neo4j: no password: give --password-file F or set KG_NEO4J_PASSWORD(_FILE)");
            System.exit(2);
        }
        return pw;
    }

    private static String opt(Map<String, String> opts, String name, String env, String dflt) {
        String v = opts.get(name);
        if (v == null) v = System.getenv(env);
        return v == null || v.isEmpty() ? dflt : v;
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) usage("unexpected argument: " + a);
            int eq = a.indexOf('=');
            if (eq > 0) {
                m.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (i + 1 < args.length) {
                m.put(a.substring(2), args[++i]);
            } else {
                usage("missing value for " + a);
            }
        }
        for (String k : m.keySet()) {
            if (!java.util.Set.of("port", "data", "password-file", "tx-timeout", "pagecache", "conf").contains(k)) {
                usage("unknown option --" + k);
            }
        }
        return m;
    }

    private static void usage(String why) {
        System.err.println("neo4j: " + why + "\nusage: Neo4jLauncher [--port N] [--data DIR] [--password-file F]"
                + " [--tx-timeout 60s] [--pagecache 256m] [--conf FILE]");
        System.exit(2);
    }
}
