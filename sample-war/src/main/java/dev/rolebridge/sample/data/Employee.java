package dev.rolebridge.sample.data;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Lob;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.TableGenerator;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * An employee of the Expense Tracker (table {@code EMPLOYEE}), keyed by the user name the container reports.
 * Its role column is the application's own idea of the user's role; since Rolebridge, the sync hook writes
 * it at every sign-in (see {@code EmployeeRoleSyncHook}), together with what that sign-in decided and why.
 */
@Entity
@Table(name = "EMPLOYEE")
public class Employee {

    @Id
    @GeneratedValue(strategy = GenerationType.TABLE, generator = "employee-ids")
    @TableGenerator(
            name = "employee-ids",
            table = "ID_SEQUENCE",
            pkColumnName = "NAME",
            valueColumnName = "NEXT_VALUE",
            pkColumnValue = "EMPLOYEE",
            allocationSize = 10)
    @Column(name = "ID")
    private Long id;

    @Column(name = "USERNAME", nullable = false, unique = true, length = 255)
    private String username;

    @Column(name = "EMAIL", length = 320)
    private String email;

    @ManyToOne(fetch = FetchType.EAGER, optional = false)
    @JoinColumn(name = "ROLE_CODE", nullable = false)
    private AppRole role;

    @Column(name = "LAST_SIGN_IN")
    private LocalDateTime lastSignIn;

    @Lob
    @Column(name = "LAST_PROVIDER_GROUPS")
    private String lastProviderGroups;

    @Lob
    @Column(name = "LAST_SIGN_IN_TRACE")
    private String lastSignInTrace;

    protected Employee() {
        // for JPA
    }

    Employee(String username, AppRole role) {
        this.username = username;
        this.role = role;
    }

    public Long getId() {
        return id;
    }

    public String getUsername() {
        return username;
    }

    public String getEmail() {
        return email;
    }

    public AppRole getRole() {
        return role;
    }

    public LocalDateTime getLastSignIn() {
        return lastSignIn;
    }

    /** The groups the provider sent at the last sign-in, verbatim, or {@code null} when it sent no groups claim. */
    public List<String> getLastProviderGroups() {
        return lines(lastProviderGroups);
    }

    /** How the last sign-in's role came about, one step per line. */
    public List<String> getLastSignInTrace() {
        return lines(lastSignInTrace);
    }

    void signedIn(String email, AppRole role, LocalDateTime at, List<String> providerGroups, List<String> trace) {
        this.email = email;
        this.role = role;
        this.lastSignIn = at;
        this.lastProviderGroups = providerGroups == null ? null : String.join("\n", providerGroups);
        this.lastSignInTrace = String.join("\n", trace);
    }

    private static List<String> lines(String text) {
        return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    }
}
