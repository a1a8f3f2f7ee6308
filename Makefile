# Kommunegraf: build, run and test. `make run` and `make test` are the two README commands.
PYTHON ?= python3
PIP ?= $(PYTHON) -m pip
export PIP_DISABLE_PIP_VERSION_CHECK=1

.PHONY: run test deps deps-dev deps-system graph app neo4j oidc lint bench bench-smoke clean

run: deps graph app          ## install, build the nye Asker graph, start the app

deps:
	$(PIP) install -q -r requirements.txt

deps-dev:
	$(PIP) install -q -r requirements-dev.txt

# Debian packages the tests need: a real headless browser, and Java/Maven for Neo4j.
deps-system:
	@command -v chromium >/dev/null 2>&1 && command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1 || \
	  { (apt-get update -qq || sudo apt-get update -qq) && \
	    (apt-get install -y -qq chromium openjdk-17-jdk-headless maven || sudo apt-get install -y -qq chromium openjdk-17-jdk-headless maven); }

graph:
	$(PYTHON) -m graph.cli load data/nye-asker

app:
	$(PYTHON) -m streamlit run serve.py --server.address 127.0.0.1 --browser.gatherUsageStats false

neo4j:                       ## a local Neo4j 5 from Maven Central on 127.0.0.1:7687
	tools/neo4j/run.sh

oidc:                        ## a local OpenID Connect provider (mock-oauth2-server) on 127.0.0.1:8089
	tools/oidc/run.sh

test: deps-system deps-dev   ## everything the tests need, then the whole suite
	tools/neo4j/run.sh --build-only
	tools/oidc/run.sh --build-only
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m mypy
	$(PYTHON) -m pytest -q

lint:
	$(PYTHON) -m ruff check . && $(PYTHON) -m ruff format --check .

bench:
	$(PYTHON) bench/run.py --doc docs/scaling.md

bench-smoke:
	$(PYTHON) bench/run.py --smoke

clean:
	rm -rf .kg test-artifacts .pytest_cache
