package dev.capaudit.scanner.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EngineCallsTest {
  @Test
  void a_call_that_never_returns_fails_within_its_limit_naming_the_engine() {
    try (EngineCalls calls = new EngineCalls("unix:///wedged.sock", Duration.ofMillis(200))) {
      long started = System.nanoTime();

      assertThatThrownBy(() -> calls.call("ping", () -> {
        Thread.sleep(60_000);
        return "never";
      })).isInstanceOf(EngineTimeoutException.class)
          .hasMessage("ping: the engine at unix:///wedged.sock did not answer within 0 s");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void an_io_failure_of_the_call_is_passed_on_as_it_is() {
    try (EngineCalls calls = new EngineCalls("unix:///x.sock", Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> calls.call("inspect", () -> {
        throw new IOException("engine answered 500");
      })).isInstanceOf(IOException.class).hasMessage("engine answered 500");
    }
  }

  @Test
  void a_runtime_failure_becomes_an_io_failure_with_its_innermost_message() {
    try (EngineCalls calls = new EngineCalls("unix:///x.sock", Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> calls.call("list", () -> {
        throw new IllegalStateException("wrapped", new IOException("Connection refused"));
      })).isInstanceOf(IOException.class).hasMessage("list: Connection refused");
    }
  }

  private static EngineSelection named(String host) {
    return new EngineSelection(Optional.ofNullable(host), Optional.empty(), Map.of());
  }

  @Test
  void malformed_and_unsupported_addresses_are_refused_before_any_connection() {
    assertThatThrownBy(() -> DockerEngines.validate("tcp//nowhere", named("tcp//nowhere")))
        .isInstanceOf(EngineConfigException.class).hasMessageContaining("is not an engine address");
    assertThatThrownBy(() -> DockerEngines.validate("tcp://host", named("tcp://host")))
        .hasMessageContaining("no host and port");
    assertThatThrownBy(() -> DockerEngines.validate("unix://", named("unix://"))).hasMessageContaining("is not an engine address");
    assertThatThrownBy(() -> DockerEngines.validate("unix:///", named("unix:///"))).hasMessageContaining("socket path");
    assertThatThrownBy(() -> DockerEngines.validate("ssh://me@box", named("ssh://me@box")))
        .hasMessageContaining("ssh:// engines are not supported").hasMessageContaining("ssh -nNT -L");
  }

  @Test
  void well_formed_addresses_pass() throws Exception {
    DockerEngines.validate("unix:///var/run/docker.sock", named("unix:///var/run/docker.sock"));
    DockerEngines.validate("tcp://10.0.0.1:2376", named("tcp://10.0.0.1:2376"));
  }

  @Test
  void an_engine_named_in_the_environment_counts_as_named() {
    EngineSelection fromEnvironment = new EngineSelection(Optional.empty(), Optional.empty(),
        Map.of("DOCKER_HOST", "tcp://h:2376"));
    EngineSelection nothing = new EngineSelection(Optional.empty(), Optional.empty(), Map.of("DOCKER_HOST", " "));

    assertThat(fromEnvironment.named()).isTrue();
    assertThat(fromEnvironment.describe()).isEqualTo("DOCKER_HOST=tcp://h:2376");
    assertThat(nothing.named()).isFalse();
  }

  @Test
  void docker_20_10_expands_all_to_bits_0_to_37_and_newer_engines_to_the_kernels_set() {
    dev.capaudit.rules.capability.CapabilityMask kernel = dev.capaudit.rules.capability.CapabilityMask.ALL_KNOWN;

    assertThat(EngineCapabilities.all(new EngineInfo("20.10.24+dfsg1", "", "", ""), kernel).toString())
        .isEqualTo("0x3fffffffff");
    assertThat(EngineCapabilities.all(new EngineInfo("28.2.2", "", "", ""), kernel)).isEqualTo(kernel);
    assertThat(EngineCapabilities.all(EngineInfo.UNKNOWN, kernel)).isEqualTo(kernel);
  }
}
