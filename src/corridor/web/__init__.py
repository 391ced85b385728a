"""The web app: a REST API over the services, the map page, and stored scenarios and runs.

Start it with ``corridor serve``; :func:`corridor.web.app.create_app` builds the ASGI app.
"""
