package org.colsparse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.colsparse.cli.CliRun.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --preset} and {@code --cond}: every misuse is one line and exit 2, before any model is built. */
class PresetOptionsTest {
    @BeforeAll
    static void home() {
        System.setProperty("colsparse.home", "..");
    }

    @Test
    void fullPresetWithoutCheckpointNamesTheOfficialFile() {
        String err = expect(2, "profile", "--workload", "dit", "--preset", "full");
        assertTrue(err.startsWith("colsparse: error: --checkpoint: the full-size dit has no shipped weights; give DiT-XL-2"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }

    @Test
    void fullPresetOfAWorkloadWithoutARuntimeListsTheOnesThatExist() {
        String err = expect(2, "profile", "--workload", "ddpm-mnist", "--preset", "full");
        assertTrue(err.contains("--preset full: no full-size runtime for 'ddpm-mnist', available: "), err);
        assertTrue(err.contains("dit"), err);
    }

    @Test
    void conditioningFilesAreRefusedByTinyModelsAndCheckedByName(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("emb.npy"), "not read");
        assertTrue(expect(2, "profile", "--cond", "text=" + f).contains("--cond: ddpm-mnist (tiny) takes no conditioning files, got 'text'"));
        assertTrue(expect(2, "profile", "--workload", "dit", "--preset", "full", "--checkpoint", f.toString(), "--cond", "txt=" + f)
                .contains("--cond: dit (full) takes only class, got 'txt'"));
        assertTrue(expect(2, "profile", "--workload", "dit", "--preset", "full", "--checkpoint", f.toString(),
                "--cond", "class=" + dir.resolve("missing.npy")).contains("--cond class=" + dir.resolve("missing.npy") + ": no such file"));
        assertTrue(expect(2, "accuracy", "--workload", "dit", "--workload", "mld", "--preset", "full")
                .contains("apply to one --workload, got 2"));
    }

    @Test
    void workloadsListsTheFullRuntimesWithTheirConditioning() throws Exception {
        JsonNode all = Json.MAPPER.readTree(expect(0, "workloads", "--preset", "full", "--format", "json")).get("workloads");
        JsonNode dit = null;
        for (JsonNode w : all) {
            if (w.get("workload").get("id").asText().equals("dit")) {
                dit = w;
            }
        }
        assertTrue(dit != null, all.toString());
        assertEquals(28, dit.get("workload").get("sites").size());
        assertEquals("class", dit.get("conditions").get(0).get("name").asText());
    }

    @Test
    void theLauncherEntryBuildsOnlyTheNamedSubcommandAndHelpStillSeesAll() {
        assertEquals(1, Main.commandLine("analyze").getSubcommands().size());
        assertEquals(Main.commandLine().getSubcommands().size(), Main.commandLine("help").getSubcommands().size());
        assertTrue(expect(0, "help", "analyze").contains("Usage: colsparse analyze"));
    }
}
