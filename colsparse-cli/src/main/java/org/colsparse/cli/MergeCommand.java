package org.colsparse.cli;

import org.colsparse.run.ShardState;
import org.colsparse.util.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Combines the state files of a sharded profile, accuracy or run into exactly the unsharded results. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Combine the N state files that 'profile', 'accuracy' or 'run' wrote with --shard I/N into the "
                + "results the same command writes without --shard: the same results.json, report and files, number for "
                + "number (only timings differ; they are the shards' sums).",
                "The shards' counts are added exactly and the metrics computed once over all samples, then the command's "
                + "own last steps run with the shards' options (plus this --out and --format).",
                "Refused (exit 2, one line naming the files): a shard missing or given twice, shards of other options, "
                + "another command, another N or another colsparse version. Rerun a failed shard alone with the same "
                + "command and --shard I/N, then merge again. docs/sharding.md."})
public final class MergeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PARTS", description = "the shards' state files (shard-I-of-N.npz), all N of one run, in any order")
    List<Path> parts;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder for the merged results (the command's --out)")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table, json or csv, as the merged command prints (default: ${DEFAULT-VALUE})", defaultValue = "table")
    OutputFormat format;

    /** The version shard files are stamped with, as {@code colsparse --version} prints it. */
    static String version() {
        return Main.class.getAnnotation(Command.class).version()[0];
    }

    @Override
    public Integer call() {
        List<ShardState> states = new ArrayList<>();
        for (Path p : parts) {
            if (!Files.isRegularFile(p)) {
                throw new InputException("merge: no such shard state file " + p);
            }
            Path abs = p.toAbsolutePath().normalize();
            Path target = out.toAbsolutePath().normalize();
            if (abs.startsWith(target)) {
                throw new InputException("--out: " + out + " holds the shard file " + p + ", which the merged results would replace; "
                        + "merge into another folder");
            }
            states.add(ShardState.read(p));
        }
        ShardState.check(states, version());
        PrintWriter err = spec.commandLine().getErr();
        String command = states.get(0).header().command();
        err.println("colsparse: merge: " + command + ", shards present: " + ShardState.present(states));
        err.flush();
        ShardState merged = ShardState.merge(states);

        CommandLine tree = Main.commandLine(command);
        tree.setOut(spec.commandLine().getOut());
        tree.setErr(err);
        CommandLine sub = tree.getSubcommands().get(command);
        if (sub == null) {
            throw new InputException("merge: " + parts.get(0) + " is a shard of '" + command + "', which this colsparse does not have");
        }
        ShardOptions shards = null;
        for (CommandLine.Model.CommandSpec mixin : sub.getCommandSpec().mixins().values()) {
            if (mixin.userObject() instanceof ShardOptions s) {
                shards = s;
            }
        }
        if (shards == null) {
            throw new InputException("merge: '" + command + "' takes no --shard, so " + parts.get(0) + " cannot be one of its shards");
        }
        shards.merged = merged;
        List<String> args = new ArrayList<>();
        args.add(command);
        args.addAll(merged.header().args());
        args.addAll(List.of("--out", out.toString(), "--format", format.name()));
        return tree.execute(args.toArray(String[]::new));
    }
}
