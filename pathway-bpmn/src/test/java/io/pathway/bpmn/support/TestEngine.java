package io.pathway.bpmn.support;

import io.pathway.bpmn.PathwayModel;
import io.pathway.testsupport.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.camunda.bpm.engine.test.mock.MockExpressionManager;
import org.camunda.spin.plugin.impl.SpinProcessEnginePlugin;

/**
 * One process engine per test JVM, on the real PostgreSQL of {@link TestDatabase}, with every model
 * of this module deployed once.
 */
public final class TestEngine {

  private static volatile ProcessEngine engine;

  private TestEngine() {}

  public static ProcessEngine get() {
    ProcessEngine e = engine;
    if (e == null) {
      synchronized (TestEngine.class) {
        if (engine == null) {
          engine = build();
          deployModels(engine);
        }
        e = engine;
      }
    }
    return e;
  }

  private static ProcessEngine build() {
    TestDatabase.Connection db = TestDatabase.get();
    StandaloneProcessEngineConfiguration config = new StandaloneProcessEngineConfiguration();
    config.setProcessEngineName("pathway-bpmn-test");
    config.setJdbcUrl(db.jdbcUrl());
    config.setJdbcUsername(db.username());
    config.setJdbcPassword(db.password());
    config.setJdbcDriver("org.postgresql.Driver");
    config.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
    config.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
    config.setJobExecutorActivate(false);
    config.setExpressionManager(new MockExpressionManager());
    config.setProcessEnginePlugins(List.of(new SpinProcessEnginePlugin()));
    config.setDefaultSerializationFormat("application/json");
    config.setDbMetricsReporterActivate(false);
    return config.buildProcessEngine();
  }

  private static void deployModels(ProcessEngine engine) {
    DeploymentBuilder deployment = engine.getRepositoryService().createDeployment().name("pathway-bpmn-tests");
    for (String folder : List.of(PathwayModel.BPMN_FOLDER, PathwayModel.DMN_FOLDER, PathwayModel.FORMS_FOLDER)) {
      for (String resource : resources(folder)) {
        deployment.addClasspathResource(resource);
      }
    }
    deployment.deploy();
  }

  /** Classpath resource names under {@code folder} (tests run from the class directories). */
  public static List<String> resources(String folder) {
    URL url = TestEngine.class.getClassLoader().getResource(folder);
    if (url == null) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
      return files.map(p -> folder + p.getFileName()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
