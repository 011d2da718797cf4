package org.colsparse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.colsparse.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expected sums come from numpy (np.cumsum over float64) and, for the checkpoint, from an independent
 * Python reader (pickle.Unpickler + zipfile + numpy); see the core module's reader tests.
 */
class InspectCommandTest {
    private static final Path FIXTURES = Path.of("../colsparse-core/src/test/resources/fixtures");

    @TempDir
    Path tmp;

    @Test
    void jsonListsEveryTensorOfEveryFile() throws IOException {
        CliRun r = run("inspect", FIXTURES.resolve("tiny_mlp_2d.pth").toString(), FIXTURES.resolve("fortran_3x4.npy").toString(),
                "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode files = new ObjectMapper().readTree(r.out()).get("files");
        assertEquals(2, files.size());
        JsonNode pth = files.get(0);
        assertEquals(FIXTURES.resolve("tiny_mlp_2d.pth").toString(), pth.get("file").asText());
        assertEquals(13, pth.get("tensors").size());
        JsonNode w = pth.get("tensors").get(3);
        assertEquals("joint_mlp.0.weight", w.get("name").asText());
        assertEquals("F32", w.get("dtype").asText());
        assertEquals("[32,96]", w.get("shape").toString());
        assertEquals(3072, w.get("elements").asLong());
        assertEquals(-11.981297475486826, w.get("sum").asDouble(), 0.0);
        JsonNode f = files.get(1).get("tensors").get(0);
        assertEquals("fortran_3x4", f.get("name").asText());
        assertEquals(66.0, f.get("sum").asDouble(), 0.0);
    }

    @Test
    void csvAndTableCarryTheSameRows() {
        CliRun csv = run("inspect", "--format", "csv", FIXTURES.resolve("stored.npz").toString());
        assertEquals(0, csv.code(), csv.err());
        String file = FIXTURES.resolve("stored.npz").toString();
        assertEquals(String.join(System.lineSeparator(),
                "file,name,dtype,shape,elements,sum",
                file + ",a,F32,4x5,20,2.763013578951359",
                file + ",b,I64,3,3,6.0",
                file + ",c,BOOL,2x2,4,3.0", ""), csv.out());
        CliRun table = run("inspect", FIXTURES.resolve("stored.npz").toString());
        assertEquals(0, table.code(), table.err());
        String[] lines = table.out().split("\\R");
        assertEquals(5, lines.length);
        assertTrue(lines[2].matches(".*stored\\.npz\\s+a\\s+F32\\s+4x5\\s+20\\s+2\\.763013578951359"), lines[2]);
    }

    @Test
    void badInputExitsTwoWithOneLineNamingTheFile() throws IOException {
        Path bad = tmp.resolve("broken.safetensors");
        Files.write(bad, new byte[] {1, 2, 3});
        CliRun r = run("inspect", bad.toString());
        assertEquals(2, r.code());
        assertEquals("colsparse: error: " + bad + ": not a .safetensors file (only 3 bytes)", r.err().strip());

        CliRun unknown = run("inspect", Files.writeString(tmp.resolve("x.onnx"), "onnx").toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("x.onnx: unknown tensor file type"), unknown.err());

        CliRun none = run("inspect");
        assertEquals(2, none.code());
    }
}
