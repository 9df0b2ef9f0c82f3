package dev.rolebridge.internal.mapping;

import java.util.ArrayList;
import java.util.List;

/**
 * The small text grammar shared by the mapping parameters. A table is a list of entries: one per
 * physical line, and a line may hold several entries separated by {@code ;}. Lines whose first
 * non-blank character is {@code #} are comments. A backslash makes the next character plain text for
 * splitting; {@link #unescape} then drops the backslash before the grammar's own characters
 * ({@code \ ; , = & # . ~}) and keeps every other backslash, so names such as {@code DOMAIN\staff}
 * stay verbatim and a regular expression receives its escapes unchanged (Java reads {@code \;} as a
 * literal {@code ;}).
 */
final class Grammar {

    private static final String ESCAPABLE = "\\;,=&#.~";

    private Grammar() {}

    /** The entries of a table, stripped, without blank entries and comment lines. */
    static List<String> entries(String text) {
        List<String> entries = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.strip().startsWith("#")) {
                continue;
            }
            for (String entry : split(line, ';')) {
                if (!entry.isEmpty()) {
                    entries.add(entry);
                }
            }
        }
        return entries;
    }

    /** Splits at every unescaped {@code separator}; parts are stripped and keep their escapes. */
    static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == separator) {
                parts.add(text.substring(start, i).strip());
                start = i + 1;
            }
        }
        parts.add(text.substring(start).strip());
        return parts;
    }

    /** Index of the first unescaped occurrence of {@code token}, or -1. */
    static int indexOf(String text, String token) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                i++;
            } else if (text.startsWith(token, i)) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the last unescaped occurrence of {@code token}, or -1. */
    static int lastIndexOf(String text, String token) {
        int last = -1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                i++;
            } else if (text.startsWith(token, i)) {
                last = i;
            }
        }
        return last;
    }

    /** Drops the backslash before the grammar's own characters; every other character stays as written. */
    static String unescape(String text) {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && ESCAPABLE.indexOf(text.charAt(i + 1)) >= 0) {
                out.append(text.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
