package dev.rolebridge.sample.data;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One of the Expense Tracker's own roles (table {@code APP_ROLE}), ranked: rank 1 is the highest. The
 * application had these long before single sign-on; Rolebridge's role names were chosen to match them.
 */
@Entity
@Table(name = "APP_ROLE")
public class AppRole {

    @Id
    @Column(name = "CODE", length = 64)
    private String code;

    @Column(name = "TITLE", nullable = false, length = 128)
    private String title;

    @Column(name = "RANK_ORDER", nullable = false)
    private int rank;

    protected AppRole() {
        // for JPA
    }

    AppRole(String code, String title, int rank) {
        this.code = code;
        this.title = title;
        this.rank = rank;
    }

    public String getCode() {
        return code;
    }

    public String getTitle() {
        return title;
    }

    public int getRank() {
        return rank;
    }
}
