package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second, real dockerd of the test's own on 127.0.0.1 with mutual TLS: its certificates made here with openssl
 * (a CA, the engine's certificate for IP 127.0.0.1, a client certificate, and a stranger's signed by another CA),
 * its own data root, exec root and pid file, and the test image loaded into it.
 */
final class SecondEngine implements AutoCloseable {
  final Path dir;
  final Path certs;
  final int port;
  private final Process daemon;

  private SecondEngine(Path dir, int port, Process daemon) {
    this.dir = dir;
    this.certs = dir.resolve("certs");
    this.port = port;
    this.daemon = daemon;
  }

  static SecondEngine start(Path dir) throws IOException {
    Path certs = Files.createDirectories(dir.resolve("certs"));
    makeCertificates(certs);
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    List<String> command = List.of("dockerd", "--data-root", dir.resolve("data").toString(), "--exec-root",
        dir.resolve("exec").toString(), "--pidfile", dir.resolve("docker.pid").toString(), "-H",
        "tcp://127.0.0.1:" + port, "--tlsverify", "--tlscacert", certs.resolve("ca.pem").toString(), "--tlscert",
        certs.resolve("server-cert.pem").toString(), "--tlskey", certs.resolve("server-key.pem").toString(),
        "--bridge=none", "--iptables=false", "--storage-driver=vfs");
    Process daemon = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("dockerd.log").toFile()).start();
    SecondEngine engine = new SecondEngine(dir, port, daemon);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (engine.docker("version", "--format", "{{.Server.Version}}").exitCode() != 0) {
      if (System.nanoTime() > deadline || !daemon.isAlive()) {
        engine.close();
        fail("the second dockerd did not start: " + Files.readString(dir.resolve("dockerd.log")));
      }
      DockerHarness.sleep(300);
    }
    DockerHarness.Result loaded = DockerHarness.run(List.of("sh", "-c", "docker save " + DockerHarness.IMAGE
        + " | " + String.join(" ", engine.cli()) + " load -q"), 180);
    if (loaded.exitCode() != 0) {
      engine.close();
      fail("cannot load the test image into the second dockerd: " + loaded.output());
    }
    return engine;
  }

  private static void makeCertificates(Path certs) {
    String script = String.join(" && ",
        "cd '" + certs + "'",
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 2 -subj /CN=capaudit-ca",
        "openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr -subj /CN=127.0.0.1",
        "printf 'subjectAltName=IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > server.ext",
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out server-cert.pem -days 2"
            + " -extfile server.ext",
        "printf 'extendedKeyUsage=clientAuth\\n' > client.ext",
        "openssl req -newkey rsa:2048 -nodes -keyout key.pem -out client.csr -subj /CN=client",
        "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out cert.pem -days 2"
            + " -extfile client.ext",
        "openssl req -newkey rsa:2048 -nodes -keyout expired-key.pem -out expired.csr -subj /CN=client",
        "openssl x509 -req -in expired.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out expired.pem -days -1"
            + " -extfile client.ext",
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca-key.pem -out other-ca.pem -days 2"
            + " -subj /CN=other-ca");
    DockerHarness.Result made = DockerHarness.run(List.of("sh", "-c", script + " 2>&1"), 120);
    if (made.exitCode() != 0) {
      fail("openssl could not make the test certificates: " + made.output());
    }
  }

  String address() {
    return "tcp://127.0.0.1:" + port;
  }

  /** The TLS options for capaudit and the docker CLI alike. */
  List<String> tls() {
    return List.of("--tlscacert", certs.resolve("ca.pem").toString(), "--tlscert", certs.resolve("cert.pem")
        .toString(), "--tlskey", certs.resolve("key.pem").toString());
  }

  private List<String> cli() {
    List<String> cli = new ArrayList<>(List.of("docker", "-H", address(), "--tlsverify"));
    cli.addAll(tls());
    return cli;
  }

  DockerHarness.Result docker(String... args) {
    List<String> command = new ArrayList<>(cli());
    command.addAll(List.of(args));
    return DockerHarness.run(command, 120);
  }

  @Override
  public void close() {
    DockerHarness.Result ids = docker("ps", "-aq");
    if (ids.exitCode() == 0) {
      ids.output().lines().filter(l -> !l.isBlank()).forEach(id -> docker("rm", "-f", id));
    }
    daemon.destroy();
    try {
      if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
        daemon.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    DockerHarness.run(List.of("rm", "-rf", dir.resolve("data").toString(), dir.resolve("exec").toString()), 120);
  }
}
