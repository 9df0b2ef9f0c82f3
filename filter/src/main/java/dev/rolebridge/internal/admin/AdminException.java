package dev.rolebridge.internal.admin;

import dev.rolebridge.RolebridgeException;

/**
 * An administrator's request refused: the HTTP status, the field at fault (or {@code null}) and why, in words
 * the page shows next to the field and the API returns as {@code {"error": ..., "field": ...}}.
 */
public final class AdminException extends RolebridgeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;

    AdminException(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    static AdminException invalid(String field, String message) {
        return new AdminException(400, field, message);
    }

    static AdminException notFound(String message) {
        return new AdminException(404, null, message);
    }

    static AdminException conflict(String field, String message) {
        return new AdminException(409, field, message);
    }

    /** The HTTP status of the answer. */
    public int status() {
        return status;
    }

    /** The request field at fault, or {@code null}. */
    public String field() {
        return field;
    }
}
