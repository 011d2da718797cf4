package org.colsparse.motion;

import java.util.Locale;
import java.util.Optional;

/** One BVH channel: a translation along or a rotation (in degrees) about a parent-frame axis. */
public enum Channel {
    XPOSITION(0, false), YPOSITION(1, false), ZPOSITION(2, false),
    XROTATION(0, true), YROTATION(1, true), ZROTATION(2, true);

    private final int axis;
    private final boolean rotation;

    Channel(int axis, boolean rotation) {
        this.axis = axis;
        this.rotation = rotation;
    }

    /** 0 = x, 1 = y, 2 = z. */
    public int axis() {
        return axis;
    }

    public boolean isRotation() {
        return rotation;
    }

    /** BVH spelling, case-insensitive ({@code Xposition}, {@code Zrotation}, ...). */
    public static Optional<Channel> parse(String token) {
        try {
            return Optional.of(valueOf(token.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String bvhName() {
        String n = name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }
}
