package dev.rolebridge.sample.data;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.Persistence;
import jakarta.persistence.PersistenceException;
import java.io.File;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.persistence.config.PersistenceUnitProperties;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The Expense Tracker's own database: an H2 file under the container's temporary directory for the
 * application, reached through the application's own EclipseLink persistence unit.
 *
 * <p>The unit is described in {@code META-INF/expense-tracker-persistence.xml} rather than
 * {@code META-INF/persistence.xml} on purpose: full Jakarta EE servers deploy every {@code persistence.xml}
 * they find with their own provider, and this application manages its unit itself, the same way on Tomcat,
 * Jetty, GlassFish, WildFly and Open Liberty. It brings its own connection pool for the same reason.
 *
 * <p>The unit is opened through the specification's {@link Persistence} bootstrap, which finds EclipseLink
 * wherever the container has it: the server's own on GlassFish and on Open Liberty with its persistence
 * feature (they load it ahead of the copy in {@code WEB-INF/lib}), the application's elsewhere. Only
 * EclipseLink's property names, constants compiled into this class, tie the code to one version.
 */
public final class ExpenseDatabase implements AutoCloseable {

    /** Roles the application has always had, highest first: code, title. */
    private static final String[][] SEEDED_ROLES = {
        {"admin", "Administrator"}, {"builder", "Builder"}, {"end-user", "Employee"}
    };

    private static volatile ExpenseDatabase current;

    private final JdbcConnectionPool pool;
    private final EntityManagerFactory factory;

    private ExpenseDatabase(JdbcConnectionPool pool, EntityManagerFactory factory) {
        this.pool = pool;
        this.factory = factory;
    }

    /** Opens the database file {@code expense-tracker} in {@code directory}, creating tables and roles as needed. */
    public static ExpenseDatabase open(File directory) {
        String url = "jdbc:h2:file:" + new File(directory, "expense-tracker").getAbsolutePath();
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
        try {
            Map<String, Object> properties = new HashMap<>();
            properties.put(
                    PersistenceUnitProperties.ECLIPSELINK_PERSISTENCE_XML, "META-INF/expense-tracker-persistence.xml");
            properties.put(PersistenceUnitProperties.NON_JTA_DATASOURCE, pool);
            properties.put(PersistenceUnitProperties.CLASSLOADER, ExpenseDatabase.class.getClassLoader());
            EntityManagerFactory factory = Persistence.createEntityManagerFactory("expense-tracker", properties);
            if (factory == null) {
                throw new IllegalStateException("persistence unit 'expense-tracker' not found");
            }
            ExpenseDatabase database = new ExpenseDatabase(pool, factory);
            database.seedRoles();
            return database;
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
    }

    /** The database the running application opened (see {@link DatabaseListener}). */
    public static ExpenseDatabase current() {
        ExpenseDatabase database = current;
        if (database == null) {
            throw new IllegalStateException("the Expense Tracker database is not open");
        }
        return database;
    }

    static void setCurrent(ExpenseDatabase database) {
        current = database;
    }

    static synchronized ExpenseDatabase clearCurrent() {
        ExpenseDatabase database = current;
        current = null;
        return database;
    }

    private void seedRoles() {
        inTransaction(em -> {
            for (int i = 0; i < SEEDED_ROLES.length; i++) {
                if (em.find(AppRole.class, SEEDED_ROLES[i][0]) == null) {
                    em.persist(new AppRole(SEEDED_ROLES[i][0], SEEDED_ROLES[i][1], i + 1));
                }
            }
            return null;
        });
    }

    /** The version of the EclipseLink that runs the unit, and whether the server or the application brought it. */
    public String providerVersion() {
        try {
            Class<?> version = Class.forName(
                    "org.eclipse.persistence.Version", true, factory.getClass().getClassLoader());
            String origin = version.getClassLoader() == ExpenseDatabase.class.getClassLoader()
                    ? "the application's copy"
                    : "the server's";
            return version.getMethod("getVersion").invoke(null) + " (" + origin + ")";
        } catch (ReflectiveOperationException | LinkageError e) {
            return "unknown (" + factory.getClass().getName() + ")";
        }
    }

    /** The application's roles, highest first. */
    public List<AppRole> roles() {
        return read(em -> em.createQuery("select r from AppRole r order by r.rank", AppRole.class)
                .getResultList());
    }

    /**
     * Records a sign-in in the {@code EMPLOYEE} table, creating the employee on the first one, and returns the
     * role written. That role is {@code primaryRole} when the application knows it; otherwise the highest of
     * {@code roles} the application knows; otherwise its lowest role.
     *
     * @param providerGroups the provider's groups claim, or {@code null} when the claim was missing
     * @param trace how the sign-in's groups and roles came about; a line for the role written is appended
     */
    public Employee recordSignIn(
            String username,
            String email,
            String primaryRole,
            Collection<String> roles,
            List<String> providerGroups,
            List<String> trace) {
        Objects.requireNonNull(username, "username");
        try {
            return writeSignIn(username, email, primaryRole, roles, providerGroups, trace);
        } catch (PersistenceException e) {
            // two first sign-ins of one user at once: the other one created the row; write again over it
            return writeSignIn(username, email, primaryRole, roles, providerGroups, trace);
        }
    }

    private Employee writeSignIn(
            String username,
            String email,
            String primaryRole,
            Collection<String> roles,
            List<String> providerGroups,
            List<String> trace) {
        return inTransaction(em -> {
            List<AppRole> known = em.createQuery("select r from AppRole r order by r.rank", AppRole.class)
                    .getResultList();
            AppRole role = chooseRole(known, primaryRole, roles);
            List<String> lines = new ArrayList<>(trace);
            lines.add("Expense Tracker: EMPLOYEE.ROLE_CODE = '" + role.getCode() + "' ("
                    + (role.getCode().equals(primaryRole)
                            ? "the primary role"
                            : roles.contains(role.getCode())
                                    ? "highest known role granted"
                                    : "lowest role: none granted")
                    + ")");
            Employee employee = findEmployee(em, username).orElseGet(() -> {
                Employee created = new Employee(username, role);
                em.persist(created);
                return created;
            });
            // the sample shows sign-in times in the server's own time zone
            employee.signedIn(email, role, LocalDateTime.now(java.time.ZoneId.systemDefault()), providerGroups, lines);
            return employee;
        });
    }

    private static AppRole chooseRole(List<AppRole> known, String primaryRole, Collection<String> roles) {
        return known.stream()
                .filter(r -> r.getCode().equals(primaryRole))
                .findFirst()
                .or(() ->
                        known.stream().filter(r -> roles.contains(r.getCode())).findFirst())
                .orElse(known.get(known.size() - 1));
    }

    public Optional<Employee> employee(String username) {
        return read(em -> findEmployee(em, username));
    }

    private static Optional<Employee> findEmployee(EntityManager em, String username) {
        return em.createQuery("select e from Employee e where e.username = :name", Employee.class)
                .setParameter("name", username)
                .getResultStream()
                .findFirst();
    }

    /** Every employee, by user name. */
    public List<Employee> employees() {
        return read(em -> em.createQuery("select e from Employee e", Employee.class).getResultList().stream()
                .sorted(Comparator.comparing(Employee::getUsername))
                .toList());
    }

    /** The expenses of one employee, newest first. */
    public List<Expense> expensesOf(String username) {
        return read(em -> em.createQuery(
                        "select x from Expense x where x.employee.username = :name "
                                + "order by x.spentOn desc, x.id desc",
                        Expense.class)
                .setParameter("name", username)
                .getResultList());
    }

    /** Expenses waiting for an administrator, oldest first. */
    public List<Expense> pending() {
        return read(
                em -> em.createQuery("select x from Expense x where x.status = :status order by x.id", Expense.class)
                        .setParameter("status", Expense.Status.SUBMITTED)
                        .getResultList());
    }

    /** Files an expense for an employee who has signed in at least once. */
    public Expense submit(String username, LocalDate spentOn, String description, BigDecimal amount) {
        return inTransaction(em -> {
            Employee employee = findEmployee(em, username)
                    .orElseThrow(() -> new IllegalStateException("no employee '" + username + "'"));
            Expense expense = new Expense(employee, spentOn, description, amount);
            em.persist(expense);
            return expense;
        });
    }

    /** Approves a submitted expense; answers whether there was one with that id. */
    public boolean approve(long expenseId, String approver) {
        return inTransaction(em -> {
            Expense expense = em.find(Expense.class, expenseId);
            if (expense == null) {
                return false;
            }
            expense.approve(approver);
            return true;
        });
    }

    private <T> T read(Function<EntityManager, T> work) {
        EntityManager em = factory.createEntityManager();
        try {
            return work.apply(em);
        } finally {
            em.close();
        }
    }

    private <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = factory.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } finally {
            if (tx.isActive()) {
                tx.rollback();
            }
            em.close();
        }
    }

    @Override
    public void close() {
        try {
            factory.close();
        } finally {
            pool.dispose();
        }
    }
}
