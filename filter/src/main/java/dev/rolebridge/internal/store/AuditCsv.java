package dev.rolebridge.internal.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes audit events as CSV (RFC 4180: comma-separated, fields with commas, quotes or line breaks quoted,
 * CRLF between records), for an administrator to download the audit trail and open it in a spreadsheet:
 *
 * <pre>{@code
 * response.setContentType("text/csv; charset=UTF-8");
 * AuditCsv.write(store.auditTrail(query, 0, 500).items(), response.getWriter());
 * }</pre>
 *
 * <p>One header row, then one row per event: {@value #HEADER_TEXT}. Times are ISO-8601 in UTC
 * ({@code 2026-05-04T03:02:01.123456Z}); lists are joined with {@code "; "}; an absent value is an empty field.
 * Group names and rules are data from the provider and administrators, so a field that a spreadsheet would read
 * as a formula (one that begins with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return) gets
 * a leading {@code '}, which spreadsheets show as text.
 */
public final class AuditCsv {

    private static final String HEADER_TEXT =
            "time, actor, actedBy, issuer, subject, added, removed, created, roleBefore, roleAfter, activeAfter, rules";

    private static final CSVFormat FORMAT =
            CSVFormat.RFC4180.builder().setHeader(HEADER_TEXT.split(", ", 0)).get();

    private AuditCsv() {}

    /**
     * Writes the header and one row per event to {@code out}, in the order given, and flushes {@code out}; does
     * not close it.
     *
     * @throws UncheckedIOException when writing to {@code out} fails (what was written before stays written)
     */
    public static void write(Iterable<AuditEvent> events, Writer out) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(out, "out");
        try {
            @SuppressWarnings("resource") // closing the printer would close out, which belongs to the caller
            CSVPrinter printer = new CSVPrinter(out, FORMAT);
            for (AuditEvent event : events) {
                printer.printRecord(
                        cell(DateTimeFormatter.ISO_INSTANT.format(event.time())),
                        cell(event.actor()),
                        cell(event.actedBy()),
                        cell(event.issuer()),
                        cell(event.subject()),
                        cell(event.added()),
                        cell(event.removed()),
                        cell(event.createdGroups()),
                        cell(event.roleBefore()),
                        cell(event.roleAfter()),
                        cell(
                                event.activeAfter() == null
                                        ? null
                                        : event.activeAfter().toString()),
                        cell(event.rulesFired()));
            }
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the audit trail as CSV: " + e.getMessage(), e);
        }
    }

    private static String cell(List<String> entries) {
        return cell(String.join("; ", entries));
    }

    /** The value as a field: empty for {@code null}, with a leading {@code '} when a spreadsheet would compute it. */
    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        return switch (value.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + value;
            default -> value;
        };
    }
}
