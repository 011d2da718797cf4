package org.colsparse.cli;

import org.colsparse.report.AtomicOutput;
import org.colsparse.pipeline.ShardState;
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

    @Parameters(arity = "1..*", paramLabel = "PARTS", description = "the shards' state files (shard-I-of-N.npz), all N of one run, "
            + "in any order, or the folder holding them")
    List<Path> parts;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder for the merged results (the command's --out)")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table, json or csv, as the merged command prints (default: ${DEFAULT-VALUE})", defaultValue = "table")
    OutputFormat format;

    /**
     * The state files in {@code dir}: every {@code shard-I-of-N.npz} of the one N they share;
     * shards of several N (other runs) are refused, naming the counts.
     */
    private static List<Path> shardsIn(Path dir) {
        java.util.regex.Pattern name = java.util.regex.Pattern.compile("shard-(\\d+)-of-(\\d+)\\.npz");
        java.util.TreeMap<Integer, List<Path>> byCount = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list.sorted()::iterator) {
                java.util.regex.Matcher m = name.matcher(p.getFileName().toString());
                if (m.matches() && m.group(2).length() < 10 && Files.isRegularFile(p)) {
                    byCount.computeIfAbsent(Integer.parseInt(m.group(2)), k -> new ArrayList<>()).add(p);
                }
            }
        } catch (java.io.IOException e) {
            throw new InputException("merge: cannot read the folder " + dir + ": " + e.getMessage());
        }
        if (byCount.isEmpty()) {
            throw new InputException("merge: " + dir + " holds no shard state file (shard-I-of-N.npz)");
        }
        if (byCount.size() > 1) {
            throw new InputException("merge: " + dir + " holds shards of " + byCount.size() + " runs (N = "
                    + String.join(", ", byCount.keySet().stream().map(String::valueOf).toList()) + "): name the files of one, e.g. "
                    + dir.resolve("shard-*-of-" + byCount.firstKey() + ".npz"));
        }
        return byCount.firstEntry().getValue();
    }

    /** The version shard files are stamped with, as {@code colsparse --version} prints it. */
    static String version() {
        return Main.class.getAnnotation(Command.class).version()[0];
    }

    @Override
    public Integer call() {
        List<Path> files = new ArrayList<>();
        for (Path p : parts) {
            if (Files.isDirectory(p)) {
                files.addAll(shardsIn(p));
            } else if (!Files.isRegularFile(p)) {
                throw new InputException("merge: no such shard state file " + p);
            } else {
                files.add(p);
            }
        }
        Path target = out.toAbsolutePath().normalize();
        for (Path p : files) {
            if (p.toAbsolutePath().normalize().startsWith(target)) {
                throw new InputException("--out: " + out + " holds the shard file " + p + ", which the merged results would replace; "
                        + "merge into another folder");
            }
        }
        // the merged command replaces --out whole: refused now, before the shards are read and merged
        AtomicOutput.check(out, null, files);
        List<ShardState> states = new ArrayList<>();
        for (Path p : files) {
            states.add(ShardState.read(p));
        }
        ShardState.check(states, version());
        String command = states.get(0).header().command();
        // and the output of another command is not replaced by this one's
        AtomicOutput.check(out, command, files);
        PrintWriter err = spec.commandLine().getErr();
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
        args.addAll(ShardOptions.replayed(sub.getCommandSpec(), merged.header().args(), states.get(0).file()));
        args.addAll(List.of("--out", out.toString(), "--format", format.name()));
        return tree.execute(args.toArray(String[]::new));
    }
}
