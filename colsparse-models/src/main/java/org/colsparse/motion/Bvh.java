package org.colsparse.motion;

import org.colsparse.util.InputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reader for Biovision Hierarchy (BVH) motion files: a HIERARCHY section (ROOT / JOINT blocks with
 * OFFSET, CHANNELS and optional End Site) and a MOTION section ({@code Frames:}, {@code Frame Time:},
 * then one line of channel values per frame). Every problem is reported as an
 * {@link InputException} naming the file and line.
 */
public final class Bvh {
    private Bvh() {
    }

    public static BvhClip read(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.getFileName().toString(), r);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read BVH file: " + e.getMessage(), e);
        }
    }

    /** Parses BVH text; {@code name} is used in error messages. */
    public static BvhClip parse(String name, BufferedReader reader) throws IOException {
        return new Parser(name, reader).parse();
    }

    private static final class Parser {
        private final String name;
        private final BufferedReader reader;
        private int lineNo;
        private String[] tokens = new String[0];
        private int pos;
        private final List<Joint> joints = new ArrayList<>();

        Parser(String name, BufferedReader reader) {
            this.name = name;
            this.reader = reader;
        }

        private InputException error(String msg) {
            return new InputException(name + ":" + lineNo + ": " + msg);
        }

        /** Next token of the hierarchy, crossing lines; null at end of file. */
        private String next() throws IOException {
            while (pos >= tokens.length) {
                String line = reader.readLine();
                if (line == null) return null;
                lineNo++;
                String t = line.strip();
                tokens = t.isEmpty() ? new String[0] : t.split("\\s+");
                pos = 0;
            }
            return tokens[pos++];
        }

        private String expectToken(String what) throws IOException {
            String t = next();
            if (t == null) throw error("unexpected end of file, expected " + what);
            return t;
        }

        private void expect(String keyword) throws IOException {
            String t = expectToken("'" + keyword + "'");
            if (!t.equalsIgnoreCase(keyword)) throw error("expected '" + keyword + "', found '" + t + "'");
        }

        private double number(String what) throws IOException {
            String t = expectToken(what);
            try {
                double v = Double.parseDouble(t);
                if (!Double.isFinite(v)) throw error(what + " is not finite: '" + t + "'");
                return v;
            } catch (NumberFormatException e) {
                throw error("expected " + what + ", found '" + t + "'");
            }
        }

        private double[] offset() throws IOException {
            expect("OFFSET");
            return new double[] {number("OFFSET x"), number("OFFSET y"), number("OFFSET z")};
        }

        BvhClip parse() throws IOException {
            expect("HIERARCHY");
            expect("ROOT");
            parseJoint(-1);
            String t = next();
            if (t == null) throw error("unexpected end of file, expected 'MOTION'");
            if (t.equalsIgnoreCase("JOINT") || t.equalsIgnoreCase("ROOT")) {
                throw error("only one ROOT hierarchy is supported, found another '" + t + "'");
            }
            if (!t.equalsIgnoreCase("MOTION")) throw error("expected 'MOTION', found '" + t + "'");
            Skeleton skeleton = new Skeleton(joints);
            expect("Frames:");
            double frames = number("frame count");
            if (frames < 0 || frames != Math.rint(frames) || frames > Integer.MAX_VALUE) {
                throw error("frame count must be a non-negative integer, found " + frames);
            }
            expect("Frame");
            expect("Time:");
            double frameTime = number("frame time");
            if (frameTime <= 0) throw error("frame time must be positive, found " + frameTime);
            if (pos < tokens.length) throw error("unexpected '" + tokens[pos] + "' after frame time");
            return new BvhClip(name, skeleton, frameTime, readFrames((int) frames, skeleton.channelCount()));
        }

        private void parseJoint(int parent) throws IOException {
            String jointName = expectToken("joint name");
            if (jointName.equals("{")) throw error("joint has no name");
            expect("{");
            double[] offset = offset();
            expect("CHANNELS");
            double n = number("channel count");
            if (n < 0 || n > 6 || n != Math.rint(n)) throw error("channel count must be 0..6, found " + n);
            List<Channel> channels = new ArrayList<>();
            for (int i = 0; i < (int) n; i++) {
                String c = expectToken("channel name");
                Channel ch = Channel.parse(c).orElseThrow(() -> error("unknown channel '" + c + "'"));
                if (channels.contains(ch)) throw error("channel '" + c + "' listed twice");
                channels.add(ch);
            }
            int index = joints.size();
            joints.add(null); // reserve the slot: children must come after their parent
            double[] endSite = null;
            while (true) {
                String t = expectToken("'JOINT', 'End Site' or '}'");
                if (t.equals("}")) break;
                if (t.equalsIgnoreCase("JOINT")) {
                    parseJoint(index);
                } else if (t.equalsIgnoreCase("End")) {
                    expect("Site");
                    expect("{");
                    if (endSite != null) throw error("joint '" + jointName + "' has two End Sites");
                    endSite = offset();
                    expect("}");
                } else {
                    throw error("expected 'JOINT', 'End Site' or '}', found '" + t + "'");
                }
            }
            joints.set(index, new Joint(jointName, parent, offset, channels, endSite));
        }

        private double[][] readFrames(int frameCount, int channelCount) throws IOException {
            double[][] frames = new double[frameCount][];
            int f = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                String t = line.strip();
                if (t.isEmpty()) continue;
                if (f == frameCount) throw error("more frame lines than 'Frames: " + frameCount + "'");
                String[] parts = t.split("\\s+");
                if (parts.length != channelCount) {
                    throw error("frame " + f + " has " + parts.length + " values, the hierarchy has " + channelCount + " channels");
                }
                double[] row = new double[channelCount];
                for (int i = 0; i < channelCount; i++) {
                    try {
                        row[i] = Double.parseDouble(parts[i]);
                    } catch (NumberFormatException e) {
                        throw error("frame " + f + " value " + i + " is not a number: '" + parts[i] + "'");
                    }
                    if (!Double.isFinite(row[i])) throw error("frame " + f + " value " + i + " is not finite: '" + parts[i] + "'");
                }
                frames[f++] = row;
            }
            if (f < frameCount) throw error("file ends after " + f + " frames, 'Frames:' says " + frameCount);
            return frames;
        }
    }
}
