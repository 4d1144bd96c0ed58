package io.kascompute.dag.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Wraps a real DataSource and throws an {@link SQLException} instead of running the {@code n}-th
 * statement execution or commit (counted from 1), as a connection dropping mid-transaction would.
 */
public final class FailingDataSource {
  private FailingDataSource() {}

  public static DataSource failOn(DataSource real, int n, AtomicInteger counter) {
    return proxy(DataSource.class, real, n, counter);
  }

  private static <T> T proxy(Class<T> type, Object target, int n, AtomicInteger counter) {
    InvocationHandler handler =
        (p, method, args) -> {
          String name = method.getName();
          boolean counted =
              (target instanceof Statement && name.startsWith("execute"))
                  || (target instanceof Connection && name.equals("commit"));
          if (counted && counter.incrementAndGet() == n) {
            throw new SQLException("injected failure at call " + n + " (" + name + ")", "08006");
          }
          Object result;
          try {
            result = method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (result instanceof Connection c) {
            return proxy(Connection.class, c, n, counter);
          }
          if (result instanceof PreparedStatement ps) {
            return proxy(PreparedStatement.class, ps, n, counter);
          }
          if (result instanceof Statement s) {
            return proxy(Statement.class, s, n, counter);
          }
          return result;
        };
    return type.cast(
        Proxy.newProxyInstance(FailingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler));
  }
}
