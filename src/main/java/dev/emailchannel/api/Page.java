package dev.emailchannel.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Paging of API lists: {@code limit} (1-200, default 50) and an opaque {@code cursor} taken from the previous answer's
 * {@code next_cursor}. The cursor carries the position after which the next page starts (e.g. a row id).
 */
record Page(int limit, String after) {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    static Page of(Map<String, String> query) {
        String limitValue = query.get("limit");
        int limit = DEFAULT_LIMIT;
        if (limitValue != null && !limitValue.isBlank()) {
            try {
                limit = Integer.parseInt(limitValue.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ApiException.badRequest("\"limit\" must be a number from 1 to " + MAX_LIMIT + ", not '"
                        + limitValue + "'");
            }
        }
        String cursor = query.get("cursor");
        String after = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                after = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("\"cursor\" is not a cursor this API gave out");
            }
        }
        return new Page(limit, after);
    }

    /** The position as a row id. */
    Long afterId() {
        if (after == null) {
            return null;
        }
        try {
            return Long.parseLong(after);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("\"cursor\" is not a cursor this API gave out");
        }
    }

    /** The cursor of the page after one that ended at {@code position}; null when this page was not full. */
    String next(int returned, String position) {
        return returned < limit || position == null ? null
                : Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }
}
