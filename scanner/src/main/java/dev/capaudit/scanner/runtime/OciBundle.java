package dev.capaudit.scanner.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * A container's OCI bundle as found on the host.
 *
 * @param directory where it was found
 * @param layout which runtime layout found it ({@code docker (containerd moby)}, {@code podman/cri-o storage},
 *     {@code shim working directory}, ...), for the report
 * @param raw the whole {@code config.json}, every field kept
 */
public record OciBundle(Path directory, String layout, OciSpec spec, JsonNode raw) {}
