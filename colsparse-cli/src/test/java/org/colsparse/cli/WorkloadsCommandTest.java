package org.colsparse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import static org.colsparse.cli.CliRun.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadsCommandTest {
    @BeforeAll
    static void home() {
        System.setProperty("colsparse.home", ".."); // the repository root, seen from the module
    }

    @Test
    void listsDdpmMnistWithItsSevenSitesAndShippedCheckpoint() throws Exception {
        String table = expect(0, "workloads");
        assertTrue(table.contains("ddpm-mnist"), table);
        assertTrue(table.contains("16/128/128/128/32/32/16"), table);
        JsonNode w = Json.MAPPER.readTree(expect(0, "workloads", "--format", "json")).get("workloads").get(0);
        assertEquals("ddpm-mnist", w.get("workload").get("id").asText());
        assertEquals(7, w.get("workload").get("sites").size());
        assertEquals(784, w.get("workload").get("sites").get(0).get("rows_per_sample").asInt());
        assertTrue(w.get("checkpoint_present").asBoolean());
        assertTrue(expect(0, "workloads", "--format", "csv").startsWith("id,group,modality,gelu,sites,"));
    }

    @Test
    void listsVitMnistWithFourFfnSitesOver20Tokens() throws Exception {
        String table = expect(0, "workloads");
        assertTrue(table.contains("vit-mnist    pure-transformer  image     exact      4"), table);
        JsonNode w = Json.MAPPER.readTree(expect(0, "workloads", "--format", "json")).get("workloads").get(1);
        assertEquals("vit-mnist", w.get("workload").get("id").asText());
        assertEquals("models/vit-mnist/DiffusionViT.pth", w.get("workload").get("checkpoint").asText());
        assertEquals(50, w.get("workload").get("default_steps").asInt(), "generate.py's --num-steps default");
        JsonNode sites = w.get("workload").get("sites");
        assertEquals(4, sites.size());
        for (JsonNode s : sites) {
            assertEquals(256, s.get("channels").asInt());
            assertEquals(20, s.get("rows_per_sample").asInt(), "16 patch tokens + 2 time + 2 class tokens");
            assertEquals("ffn", s.get("role").asText());
        }
        assertTrue(w.get("checkpoint_present").asBoolean());
    }
}
