pub mod image_server;
