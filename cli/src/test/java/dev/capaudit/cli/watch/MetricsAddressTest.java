package dev.capaudit.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class MetricsAddressTest {
  private static InetSocketAddress address(String text) {
    MetricsAddress.Parsed parsed = MetricsAddress.parse(text);
    assertThat(parsed.error()).isEmpty();
    return parsed.address().orElseThrow();
  }

  private static String error(String text) {
    MetricsAddress.Parsed parsed = MetricsAddress.parse(text);
    assertThat(parsed.address()).as(text).isEmpty();
    return parsed.error();
  }

  @Test
  void a_bare_port_is_this_hosts_loopback_only() {
    InetSocketAddress address = address("9100");

    assertThat(address.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(address.getPort()).isEqualTo(9100);
  }

  @Test
  void a_port_without_its_host_is_refused_since_some_tools_read_it_as_every_interface() {
    assertThat(error(":9100")).contains("names no host").contains("127.0.0.1:9100").contains("0.0.0.0:9100");
  }

  @Test
  void another_address_is_taken_when_written_with_its_host() {
    assertThat(address("0.0.0.0:9100").getAddress().isAnyLocalAddress()).isTrue();
    assertThat(address("[::1]:0").getAddress().isLoopbackAddress()).isTrue();
    assertThat(address("127.0.0.1:0").getPort()).isZero();
  }

  @Test
  void ports_out_of_range_and_text_that_is_no_address_are_refused() {
    assertThat(error("99999")).contains("0 to 65535");
    assertThat(error("127.0.0.1:http")).contains("port must be 0 to 65535");
    assertThat(error("localhost")).contains("PORT");
    assertThat(error("")).contains("PORT");
  }
}
