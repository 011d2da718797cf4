package org.colsparse.pipeline;

import org.colsparse.tensor.NpzWriter;
import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A shard or masks file whose JSON index does not fit the records is refused in one line naming the file, never half read. */
class StateIndexTest {
    @TempDir
    Path tmp;

    private Path npz(String array, String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        Path f = tmp.resolve(array + ".npz");
        new NpzWriter().addU8(array, new long[] {b.length}, b).write(f);
        return f;
    }

    @Test
    void aShardHeaderOfTheRightFormatButWrongFieldsIsDamaged() {
        Path f = npz("header", "{\"format\": \"" + ShardState.FORMAT + "\", \"shard\": \"first\", \"shards\": 2}");
        InputException e = assertThrows(InputException.class, () -> ShardState.read(f));
        assertTrue(e.getMessage().startsWith(f + ": damaged shard state ("), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void anotherFormatIsNamedBeforeAnyFieldIsRead() {
        Path f = npz("header", "{\"format\": \"colsparse-shard/0\", \"workloads\": 3}");
        InputException e = assertThrows(InputException.class, () -> ShardState.read(f));
        assertEquals(f + ": format 'colsparse-shard/0', expected " + ShardState.FORMAT, e.getMessage());
    }

    @Test
    void aMasksIndexWithAnUnknownRoleNamesTheSite() {
        Path f = npz("index", "{\"format\": \"" + RecordedMasks.FORMAT + "\", \"workload\": \"w\", \"threshold\": 0.01, \"bits\": \"\", "
                + "\"calls\": [], \"sites\": [{\"name\": \"s0\", \"role\": \"gills\", \"rows\": 1, \"channels\": 1}], \"gemms\": []}");
        InputException e = assertThrows(InputException.class, () -> RecordedMasks.read(f));
        assertTrue(e.getMessage().startsWith(f + ": index site s0, role"), e.getMessage());
    }
}
