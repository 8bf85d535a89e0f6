# The rdkg API image: applies the schema, loads data/ into the Neo4j at NEO4J_URI, then serves on :8000.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
COPY graph ./graph
COPY ontology ./ontology
COPY api ./api
COPY loaders ./loaders
COPY queries ./queries
COPY rdkg ./rdkg
COPY data ./data
# The versions the tests passed with: pip, the build backend and every dependency come from requirements.lock.
RUN pip install -q -c requirements.lock pip setuptools \
    && pip install -c requirements.lock --build-constraint requirements.lock -e . \
    && useradd --create-home rdkg
USER rdkg
EXPOSE 8000
# `rdkg run` with NEO4J_URI set uses that server (it never starts one), applies the schema, loads, serves.
CMD ["rdkg", "run"]
