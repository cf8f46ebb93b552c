package io.rnnstreams.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** Near-miss suggestions for unknown names: the known names within edit distance 2. */
final class Suggestions {
    /** The largest edit distance that is still suggested. */
    static final int MAX_DISTANCE = 2;

    private Suggestions() {
    }

    /**
     * The candidates closest to {@code name} (case-insensitive Levenshtein distance), if that distance is at most
     * {@link #MAX_DISTANCE}; sorted, at most three.
     */
    static List<String> closest(String name, Collection<String> candidates) {
        String n = name.toLowerCase(Locale.ROOT);
        int best = MAX_DISTANCE + 1;
        TreeSet<String> closest = new TreeSet<>();
        for (String c : candidates) {
            if (Math.abs(c.length() - n.length()) > MAX_DISTANCE) {
                continue;
            }
            int d = distance(n, c.toLowerCase(Locale.ROOT), Math.min(best, MAX_DISTANCE));
            if (d > MAX_DISTANCE) {
                continue;
            }
            if (d < best) {
                best = d;
                closest.clear();
                closest.add(c);
            } else if (d == best) {
                closest.add(c);
            }
        }
        List<String> result = new ArrayList<>(closest);
        return result.size() > 3 ? result.subList(0, 3) : result;
    }

    /** {@code "; did you mean 'x'?"} (or {@code 'x' or 'y'}), or the empty text when nothing is close. */
    static String didYouMean(String name, Collection<String> candidates) {
        List<String> closest = closest(name, candidates);
        if (closest.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("; did you mean ");
        for (int i = 0; i < closest.size(); i++) {
            if (i > 0) {
                sb.append(i == closest.size() - 1 ? " or " : ", ");
            }
            sb.append('\'').append(closest.get(i)).append('\'');
        }
        return sb.append('?').toString();
    }

    /** Levenshtein distance, or some value {@code > limit} once it is known to exceed {@code limit}. */
    static int distance(String a, String b, int limit) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                rowMin = Math.min(rowMin, cur[j]);
            }
            if (rowMin > limit) {
                return limit + 1;
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
