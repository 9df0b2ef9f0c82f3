package dev.rolebridge.sample.data;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.TableGenerator;
import java.math.BigDecimal;
import java.time.LocalDate;

/** An expense an employee submitted (table {@code EXPENSE}); an administrator approves it. */
@Entity
@Table(name = "EXPENSE")
public class Expense {

    /** Where an expense stands. */
    public enum Status {
        SUBMITTED,
        APPROVED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.TABLE, generator = "expense-ids")
    @TableGenerator(
            name = "expense-ids",
            table = "ID_SEQUENCE",
            pkColumnName = "NAME",
            valueColumnName = "NEXT_VALUE",
            pkColumnValue = "EXPENSE",
            allocationSize = 10)
    @Column(name = "ID")
    private Long id;

    @ManyToOne(fetch = FetchType.EAGER, optional = false)
    @JoinColumn(name = "EMPLOYEE_ID", nullable = false)
    private Employee employee;

    @Column(name = "SPENT_ON", nullable = false)
    private LocalDate spentOn;

    @Column(name = "DESCRIPTION", nullable = false, length = 200)
    private String description;

    @Column(name = "AMOUNT", nullable = false, precision = 12, scale = 2)
    private BigDecimal amount;

    @Enumerated(EnumType.STRING)
    @Column(name = "STATUS", nullable = false, length = 16)
    private Status status;

    @Column(name = "APPROVED_BY", length = 255)
    private String approvedBy;

    protected Expense() {
        // for JPA
    }

    Expense(Employee employee, LocalDate spentOn, String description, BigDecimal amount) {
        this.employee = employee;
        this.spentOn = spentOn;
        this.description = description;
        this.amount = amount;
        this.status = Status.SUBMITTED;
    }

    public Long getId() {
        return id;
    }

    public Employee getEmployee() {
        return employee;
    }

    public LocalDate getSpentOn() {
        return spentOn;
    }

    public String getDescription() {
        return description;
    }

    public BigDecimal getAmount() {
        return amount;
    }

    public Status getStatus() {
        return status;
    }

    public String getApprovedBy() {
        return approvedBy;
    }

    void approve(String approver) {
        this.status = Status.APPROVED;
        this.approvedBy = approver;
    }
}
