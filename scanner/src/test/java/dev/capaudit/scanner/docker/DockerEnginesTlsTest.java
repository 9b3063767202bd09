package dev.capaudit.scanner.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.transport.SSLConfig;
import org.junit.jupiter.api.Test;

class DockerEnginesTlsTest {
  private static DockerClientConfig config(String host) {
    return DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).withDockerTlsVerify(false)
        .build();
  }

  @Test
  void aUnixSocketGetsAContextThatRefusesEveryUse() throws Exception {
    SSLConfig tls = DockerEngines.tlsOf(config("unix:///var/run/docker.sock"));

    assertThat(tls).isSameAs(UnusedTls.INSTANCE);
    assertThatThrownBy(() -> tls.getSSLContext().getSocketFactory())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("unix socket");
    assertThatThrownBy(() -> tls.getSSLContext().createSSLEngine())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aTcpEngineWithoutTlsKeepsDockerJavasDefault() {
    assertThat(DockerEngines.tlsOf(config("tcp://127.0.0.1:2375"))).isNull();
  }
}
