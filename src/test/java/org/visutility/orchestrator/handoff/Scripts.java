package org.visutility.orchestrator.handoff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Shell scripts for the command hook's tests. */
final class Scripts {
    private Scripts() {
    }

    /** An executable /bin/sh script {@code name} in {@code folder} with {@code body}. */
    static Path write(Path folder, String name, String body) throws IOException {
        Path script = folder.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
