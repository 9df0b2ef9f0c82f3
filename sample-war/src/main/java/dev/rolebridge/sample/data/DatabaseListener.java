package dev.rolebridge.sample.data;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.io.File;

/**
 * Opens the Expense Tracker's database when the application starts and closes it when it stops. Declared in
 * {@code web.xml}, so it runs before any filter, including Rolebridge's sync hook, needs the database.
 */
public class DatabaseListener implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        ExpenseDatabase.setCurrent(ExpenseDatabase.open(dataDirectory(context)));
        context.log("Expense Tracker database opened in " + dataDirectory(context));
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        ExpenseDatabase database = ExpenseDatabase.clearCurrent();
        if (database != null) {
            database.close();
        }
        // H2 registered itself with DriverManager when this application loaded it: let the class loader go
        org.h2.Driver.unload();
    }

    /** The container's temporary directory for this application (Servlet specification), else the JVM's. */
    private static File dataDirectory(ServletContext context) {
        Object dir = context.getAttribute(ServletContext.TEMPDIR);
        return dir instanceof File file ? file : new File(System.getProperty("java.io.tmpdir"));
    }
}
