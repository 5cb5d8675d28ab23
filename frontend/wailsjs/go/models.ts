export namespace admin {
	
	export class Health {
	    name: string;
	    label: string;
	    kind: string;
	    url: string;
	    state: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new Health(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.label = source["label"];
	        this.kind = source["kind"];
	        this.url = source["url"];
	        this.state = source["state"];
	        this.message = source["message"];
	    }
	}

}

export namespace auth {
	
	export class PublicUser {
	    id: string;
	    username: string;
	    email?: string;
	    isAdmin: boolean;
	    // Go type: time
	    createdAt: any;
	
	    static createFrom(source: any = {}) {
	        return new PublicUser(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.username = source["username"];
	        this.email = source["email"];
	        this.isAdmin = source["isAdmin"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Session {
	    token: string;
	    // Go type: time
	    expiresAt: any;
	    user: PublicUser;
	
	    static createFrom(source: any = {}) {
	        return new Session(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.token = source["token"];
	        this.expiresAt = this.convertValues(source["expiresAt"], null);
	        this.user = this.convertValues(source["user"], PublicUser);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace config {
	
	export class ESpeakSettings {
	    binary: string;
	
	    static createFrom(source: any = {}) {
	        return new ESpeakSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.binary = source["binary"];
	    }
	}
	export class GenerationSettings {
	    template: string;
	    minutes: number;
	    language: string;
	    workers: number;
	    maxJobs: number;
	    gapMs: number;
	    sampleRate: number;
	    bitrateKbps: number;
	
	    static createFrom(source: any = {}) {
	        return new GenerationSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.template = source["template"];
	        this.minutes = source["minutes"];
	        this.language = source["language"];
	        this.workers = source["workers"];
	        this.maxJobs = source["maxJobs"];
	        this.gapMs = source["gapMs"];
	        this.sampleRate = source["sampleRate"];
	        this.bitrateKbps = source["bitrateKbps"];
	    }
	}
	export class KyutaiSettings {
	    url: string;
	    apiKey: string;
	
	    static createFrom(source: any = {}) {
	        return new KyutaiSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.apiKey = source["apiKey"];
	    }
	}
	export class LibrarySettings {
	    keepVersions: number;
	
	    static createFrom(source: any = {}) {
	        return new LibrarySettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.keepVersions = source["keepVersions"];
	    }
	}
	export class OllamaOptions {
	    num_ctx: number;
	    temperature: number;
	    top_p: number;
	    keep_alive: string;
	
	    static createFrom(source: any = {}) {
	        return new OllamaOptions(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.num_ctx = source["num_ctx"];
	        this.temperature = source["temperature"];
	        this.top_p = source["top_p"];
	        this.keep_alive = source["keep_alive"];
	    }
	}
	export class OllamaServer {
	    url: string;
	    concurrency: number;
	
	    static createFrom(source: any = {}) {
	        return new OllamaServer(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.concurrency = source["concurrency"];
	    }
	}
	export class OllamaSettings {
	    url: string;
	    model: string;
	    connectTimeoutSeconds: number;
	    idleTimeoutSeconds: number;
	    options: OllamaOptions;
	    urls: OllamaServer[];
	    concurrency: number;
	
	    static createFrom(source: any = {}) {
	        return new OllamaSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.model = source["model"];
	        this.connectTimeoutSeconds = source["connectTimeoutSeconds"];
	        this.idleTimeoutSeconds = source["idleTimeoutSeconds"];
	        this.options = this.convertValues(source["options"], OllamaOptions);
	        this.urls = this.convertValues(source["urls"], OllamaServer);
	        this.concurrency = source["concurrency"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class OpenAITTSSettings {
	    url: string;
	    model: string;
	    apiKey: string;
	    format: string;
	
	    static createFrom(source: any = {}) {
	        return new OpenAITTSSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.model = source["model"];
	        this.apiKey = source["apiKey"];
	        this.format = source["format"];
	    }
	}
	export class PiperSettings {
	    url: string;
	
	    static createFrom(source: any = {}) {
	        return new PiperSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	    }
	}
	export class ServerSettings {
	    enabled: boolean;
	    bind: string;
	    port: number;
	    tls: boolean;
	    corsOrigins: string[];
	    maxQueuedPerUser: number;
	    maxUploadMB: number;
	    diskPerUserMB: number;
	    diskReserveMB: number;
	    publicUrl: string;
	
	    static createFrom(source: any = {}) {
	        return new ServerSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.enabled = source["enabled"];
	        this.bind = source["bind"];
	        this.port = source["port"];
	        this.tls = source["tls"];
	        this.corsOrigins = source["corsOrigins"];
	        this.maxQueuedPerUser = source["maxQueuedPerUser"];
	        this.maxUploadMB = source["maxUploadMB"];
	        this.diskPerUserMB = source["diskPerUserMB"];
	        this.diskReserveMB = source["diskReserveMB"];
	        this.publicUrl = source["publicUrl"];
	    }
	}
	export class WhisperSettings {
	    provider: string;
	    url: string;
	    model: string;
	    apiKey: string;
	
	    static createFrom(source: any = {}) {
	        return new WhisperSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.provider = source["provider"];
	        this.url = source["url"];
	        this.model = source["model"];
	        this.apiKey = source["apiKey"];
	    }
	}
	export class TTSServer {
	    url: string;
	    concurrency: number;
	
	    static createFrom(source: any = {}) {
	        return new TTSServer(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.concurrency = source["concurrency"];
	    }
	}
	export class TTSSettings {
	    provider: string;
	    preset: string;
	    presetUrl: string;
	    voices: {[key: string]: string};
	    servers: TTSServer[];
	    concurrency: number;
	    espeak: ESpeakSettings;
	    openai: OpenAITTSSettings;
	    kyutai: KyutaiSettings;
	    piper: PiperSettings;
	
	    static createFrom(source: any = {}) {
	        return new TTSSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.provider = source["provider"];
	        this.preset = source["preset"];
	        this.presetUrl = source["presetUrl"];
	        this.voices = source["voices"];
	        this.servers = this.convertValues(source["servers"], TTSServer);
	        this.concurrency = source["concurrency"];
	        this.espeak = this.convertValues(source["espeak"], ESpeakSettings);
	        this.openai = this.convertValues(source["openai"], OpenAITTSSettings);
	        this.kyutai = this.convertValues(source["kyutai"], KyutaiSettings);
	        this.piper = this.convertValues(source["piper"], PiperSettings);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Settings {
	    ollama: OllamaSettings;
	    writer: string;
	    tts: TTSSettings;
	    whisper: WhisperSettings;
	    server: ServerSettings;
	    generation: GenerationSettings;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ollama = this.convertValues(source["ollama"], OllamaSettings);
	        this.writer = source["writer"];
	        this.tts = this.convertValues(source["tts"], TTSSettings);
	        this.whisper = this.convertValues(source["whisper"], WhisperSettings);
	        this.server = this.convertValues(source["server"], ServerSettings);
	        this.generation = this.convertValues(source["generation"], GenerationSettings);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	

}

export namespace core {
	
	export class DocSpeaker {
	    name: string;
	    voice: string;
	    speed: number;
	
	    static createFrom(source: any = {}) {
	        return new DocSpeaker(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.voice = source["voice"];
	        this.speed = source["speed"];
	    }
	}
	export class LiveLine {
	    index: number;
	    speaker: string;
	    text: string;
	    start: number;
	    end: number;
	
	    static createFrom(source: any = {}) {
	        return new LiveLine(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.index = source["index"];
	        this.speaker = source["speaker"];
	        this.text = source["text"];
	        this.start = source["start"];
	        this.end = source["end"];
	    }
	}
	export class LiveLines {
	    lines: LiveLine[];
	    count: number;
	    ended: boolean;
	
	    static createFrom(source: any = {}) {
	        return new LiveLines(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.lines = this.convertValues(source["lines"], LiveLine);
	        this.count = source["count"];
	        this.ended = source["ended"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Problem {
	    field: string;
	    code: string;
	    message: string;
	    severity: string;
	
	    static createFrom(source: any = {}) {
	        return new Problem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.code = source["code"];
	        this.message = source["message"];
	        this.severity = source["severity"];
	    }
	}
	export class Plan {
	    writer: string;
	    tts: string;
	    minutes: number;
	    minutesFillable?: number;
	    problems: Problem[];
	
	    static createFrom(source: any = {}) {
	        return new Plan(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.writer = source["writer"];
	        this.tts = source["tts"];
	        this.minutes = source["minutes"];
	        this.minutesFillable = source["minutesFillable"];
	        this.problems = this.convertValues(source["problems"], Problem);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Proposal {
	    lines: script.Line[];
	
	    static createFrom(source: any = {}) {
	        return new Proposal(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.lines = this.convertValues(source["lines"], script.Line);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RewriteRequest {
	    chapter: number;
	    line?: number;
	    instruction: string;
	
	    static createFrom(source: any = {}) {
	        return new RewriteRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.chapter = source["chapter"];
	        this.line = source["line"];
	        this.instruction = source["instruction"];
	    }
	}
	export class ScriptDoc {
	    podcastId: string;
	    version: number;
	    etag?: string;
	    title: string;
	    summary: string;
	    language: string;
	    template: string;
	    speakers: DocSpeaker[];
	    chapters: script.Chapter[];
	
	    static createFrom(source: any = {}) {
	        return new ScriptDoc(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.podcastId = source["podcastId"];
	        this.version = source["version"];
	        this.etag = source["etag"];
	        this.title = source["title"];
	        this.summary = source["summary"];
	        this.language = source["language"];
	        this.template = source["template"];
	        this.speakers = this.convertValues(source["speakers"], DocSpeaker);
	        this.chapters = this.convertValues(source["chapters"], script.Chapter);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Status {
	    id: string;
	    owner: string;
	    title: string;
	    state: string;
	    stage: string;
	    segment: number;
	    segments: number;
	    progress: number;
	    etaSeconds?: number;
	    firstAudioSeconds?: number;
	    writer?: string;
	    tts?: string;
	    warning?: string;
	    error?: string;
	    podcastId?: string;
	    segmentsReused: number;
	    segmentsSynthesised: number;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    updatedAt: any;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.owner = source["owner"];
	        this.title = source["title"];
	        this.state = source["state"];
	        this.stage = source["stage"];
	        this.segment = source["segment"];
	        this.segments = source["segments"];
	        this.progress = source["progress"];
	        this.etaSeconds = source["etaSeconds"];
	        this.firstAudioSeconds = source["firstAudioSeconds"];
	        this.writer = source["writer"];
	        this.tts = source["tts"];
	        this.warning = source["warning"];
	        this.error = source["error"];
	        this.podcastId = source["podcastId"];
	        this.segmentsReused = source["segmentsReused"];
	        this.segmentsSynthesised = source["segmentsSynthesised"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class UserRemoved {
	    username: string;
	    podcasts: string;
	    podcastCount: number;
	    keptBy?: string;
	    templateCount: number;
	    templatesDropped?: string[];
	    jobs: number;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new UserRemoved(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.podcasts = source["podcasts"];
	        this.podcastCount = source["podcastCount"];
	        this.keptBy = source["keptBy"];
	        this.templateCount = source["templateCount"];
	        this.templatesDropped = source["templatesDropped"];
	        this.jobs = source["jobs"];
	        this.message = source["message"];
	    }
	}
	export class VersionInfo {
	    version: number;
	    // Go type: time
	    createdAt: any;
	    duration: number;
	    lines: number;
	    words: number;
	    current: boolean;
	
	    static createFrom(source: any = {}) {
	        return new VersionInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.duration = source["duration"];
	        this.lines = source["lines"];
	        this.words = source["words"];
	        this.current = source["current"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Versions {
	    current: number;
	    versions: VersionInfo[];
	
	    static createFrom(source: any = {}) {
	        return new Versions(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.current = source["current"];
	        this.versions = this.convertValues(source["versions"], VersionInfo);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace desktop {
	
	export class Chapter {
	    index: number;
	    title: string;
	    start: number;
	    end: number;
	
	    static createFrom(source: any = {}) {
	        return new Chapter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.index = source["index"];
	        this.title = source["title"];
	        this.start = source["start"];
	        this.end = source["end"];
	    }
	}
	export class Cue {
	    index: number;
	    speaker: string;
	    text: string;
	    start: number;
	    end: number;
	
	    static createFrom(source: any = {}) {
	        return new Cue(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.index = source["index"];
	        this.speaker = source["speaker"];
	        this.text = source["text"];
	        this.start = source["start"];
	        this.end = source["end"];
	    }
	}
	export class FieldProblem {
	    field: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new FieldProblem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.message = source["message"];
	    }
	}
	export class SourceRef {
	    token?: string;
	    url?: string;
	
	    static createFrom(source: any = {}) {
	        return new SourceRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.token = source["token"];
	        this.url = source["url"];
	    }
	}
	export class GenerateRequest {
	    text: string;
	    title: string;
	    templateId: string;
	    minutes: number;
	    language: string;
	    focus: string;
	    voices: {[key: string]: string};
	    writer: string;
	    tts: string;
	    sources: SourceRef[];
	
	    static createFrom(source: any = {}) {
	        return new GenerateRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.title = source["title"];
	        this.templateId = source["templateId"];
	        this.minutes = source["minutes"];
	        this.language = source["language"];
	        this.focus = source["focus"];
	        this.voices = source["voices"];
	        this.writer = source["writer"];
	        this.tts = source["tts"];
	        this.sources = this.convertValues(source["sources"], SourceRef);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PickedSource {
	    token: string;
	    name: string;
	    kind: string;
	    size: number;
	
	    static createFrom(source: any = {}) {
	        return new PickedSource(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.token = source["token"];
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.size = source["size"];
	    }
	}
	export class PodcastDetail {
	    podcast: store.Podcast;
	    cues: Cue[];
	    chapters: Chapter[];
	    fromRecording: boolean;
	
	    static createFrom(source: any = {}) {
	        return new PodcastDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.podcast = this.convertValues(source["podcast"], store.Podcast);
	        this.cues = this.convertValues(source["cues"], Cue);
	        this.chapters = this.convertValues(source["chapters"], Chapter);
	        this.fromRecording = source["fromRecording"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ServerStatus {
	    running: boolean;
	    addr: string;
	    urls: string[];
	    qrCode: string;
	    feedUrl: string;
	    tls: boolean;
	    fingerprint: string;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new ServerStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.addr = source["addr"];
	        this.urls = source["urls"];
	        this.qrCode = source["qrCode"];
	        this.feedUrl = source["feedUrl"];
	        this.tls = source["tls"];
	        this.fingerprint = source["fingerprint"];
	        this.error = source["error"];
	    }
	}

}

export namespace library {
	
	export class Summary {
	    id: string;
	    title: string;
	    summary: string;
	    // Go type: time
	    generatedDate: any;
	    duration: number;
	    speakers: string[];
	    template: string;
	    status: string;
	    fromRecording: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Summary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.summary = source["summary"];
	        this.generatedDate = this.convertValues(source["generatedDate"], null);
	        this.duration = source["duration"];
	        this.speakers = source["speakers"];
	        this.template = source["template"];
	        this.status = source["status"];
	        this.fromRecording = source["fromRecording"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Page {
	    items: Summary[];
	    total: number;
	    nextCursor?: string;
	
	    static createFrom(source: any = {}) {
	        return new Page(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], Summary);
	        this.total = source["total"];
	        this.nextCursor = source["nextCursor"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Query {
	    q: string;
	    sort: string;
	    limit: number;
	    cursor: string;
	
	    static createFrom(source: any = {}) {
	        return new Query(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.q = source["q"];
	        this.sort = source["sort"];
	        this.limit = source["limit"];
	        this.cursor = source["cursor"];
	    }
	}

}

export namespace llm {
	
	export class ContextInfo {
	    model: string;
	    modelLength: number;
	    numCtx: number;
	    sourceChars: number;
	
	    static createFrom(source: any = {}) {
	        return new ContextInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.model = source["model"];
	        this.modelLength = source["modelLength"];
	        this.numCtx = source["numCtx"];
	        this.sourceChars = source["sourceChars"];
	    }
	}
	export class ModelInfo {
	    name: string;
	    size: number;
	    family: string;
	    parameterSize: string;
	    quantization: string;
	    // Go type: time
	    modifiedAt: any;
	
	    static createFrom(source: any = {}) {
	        return new ModelInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.size = source["size"];
	        this.family = source["family"];
	        this.parameterSize = source["parameterSize"];
	        this.quantization = source["quantization"];
	        this.modifiedAt = this.convertValues(source["modifiedAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace player {
	
	export class Status {
	    state: string;
	    podcastId: string;
	    jobId?: string;
	    position: number;
	    duration: number;
	    speed: number;
	    volume: number;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.podcastId = source["podcastId"];
	        this.jobId = source["jobId"];
	        this.position = source["position"];
	        this.duration = source["duration"];
	        this.speed = source["speed"];
	        this.volume = source["volume"];
	        this.error = source["error"];
	    }
	}

}

export namespace providers {
	
	export class CPUFit {
	    best: boolean;
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new CPUFit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.best = source["best"];
	        this.note = source["note"];
	    }
	}
	export class Preset {
	    id: string;
	    name: string;
	    provider: string;
	    url: string;
	    model?: string;
	    format?: string;
	    start: string;
	    cpu: CPUFit;
	    voices?: tts.Voice[];
	
	    static createFrom(source: any = {}) {
	        return new Preset(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.provider = source["provider"];
	        this.url = source["url"];
	        this.model = source["model"];
	        this.format = source["format"];
	        this.start = source["start"];
	        this.cpu = this.convertValues(source["cpu"], CPUFit);
	        this.voices = this.convertValues(source["voices"], tts.Voice);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace script {
	
	export class Line {
	    speaker: string;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new Line(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.speaker = source["speaker"];
	        this.text = source["text"];
	    }
	}
	export class Chapter {
	    title: string;
	    lines: Line[];
	
	    static createFrom(source: any = {}) {
	        return new Chapter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.lines = this.convertValues(source["lines"], Line);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace store {
	
	export class ChapterMark {
	    title: string;
	    start: number;
	
	    static createFrom(source: any = {}) {
	        return new ChapterMark(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.start = source["start"];
	    }
	}
	export class Version {
	    version: number;
	    // Go type: time
	    createdAt: any;
	    title: string;
	    summary?: string;
	    duration: number;
	    lines: number;
	    words: number;
	    chapters: ChapterMark[];
	    voices?: SpeakerVoice[];
	    files: {[key: string]: string};
	    sizes?: {[key: string]: number};
	    job?: string;
	
	    static createFrom(source: any = {}) {
	        return new Version(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.title = source["title"];
	        this.summary = source["summary"];
	        this.duration = source["duration"];
	        this.lines = source["lines"];
	        this.words = source["words"];
	        this.chapters = this.convertValues(source["chapters"], ChapterMark);
	        this.voices = this.convertValues(source["voices"], SpeakerVoice);
	        this.files = source["files"];
	        this.sizes = source["sizes"];
	        this.job = source["job"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SpeakerVoice {
	    speaker: string;
	    voice: string;
	    speed: number;
	
	    static createFrom(source: any = {}) {
	        return new SpeakerVoice(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.speaker = source["speaker"];
	        this.voice = source["voice"];
	        this.speed = source["speed"];
	    }
	}
	export class Podcast {
	    id: string;
	    title: string;
	    duration: number;
	    // Go type: time
	    generatedDate: any;
	    sourceText?: string;
	    templateUsed?: string;
	    owner: string;
	    status: string;
	    summary?: string;
	    speakers: string[];
	    language: string;
	    chapters: ChapterMark[];
	    files: {[key: string]: string};
	    writer: string;
	    tts: string;
	    audioBytes: number;
	    sizes?: {[key: string]: number};
	    lines: number;
	    words: number;
	    version?: number;
	    voices?: SpeakerVoice[];
	    versions?: Version[];
	
	    static createFrom(source: any = {}) {
	        return new Podcast(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.duration = source["duration"];
	        this.generatedDate = this.convertValues(source["generatedDate"], null);
	        this.sourceText = source["sourceText"];
	        this.templateUsed = source["templateUsed"];
	        this.owner = source["owner"];
	        this.status = source["status"];
	        this.summary = source["summary"];
	        this.speakers = source["speakers"];
	        this.language = source["language"];
	        this.chapters = this.convertValues(source["chapters"], ChapterMark);
	        this.files = source["files"];
	        this.writer = source["writer"];
	        this.tts = source["tts"];
	        this.audioBytes = source["audioBytes"];
	        this.sizes = source["sizes"];
	        this.lines = source["lines"];
	        this.words = source["words"];
	        this.version = source["version"];
	        this.voices = this.convertValues(source["voices"], SpeakerVoice);
	        this.versions = this.convertValues(source["versions"], Version);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	

}

export namespace template {
	
	export class Speaker {
	    name: string;
	    role: string;
	    voices: {[key: string]: string};
	    wordsPerMinute?: number;
	
	    static createFrom(source: any = {}) {
	        return new Speaker(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.role = source["role"];
	        this.voices = source["voices"];
	        this.wordsPerMinute = source["wordsPerMinute"];
	    }
	}
	export class TTSConfig {
	    voiceId?: string;
	    style?: string;
	
	    static createFrom(source: any = {}) {
	        return new TTSConfig(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.voiceId = source["voiceId"];
	        this.style = source["style"];
	    }
	}
	export class Template {
	    id: string;
	    name: string;
	    description: string;
	    llmPromptInstructions: string;
	    ttsConfig?: TTSConfig;
	    speakers: Speaker[];
	    structure: string[];
	    style?: string[];
	    minutes: number;
	    language: string;
	    builtIn: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Template(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.description = source["description"];
	        this.llmPromptInstructions = source["llmPromptInstructions"];
	        this.ttsConfig = this.convertValues(source["ttsConfig"], TTSConfig);
	        this.speakers = this.convertValues(source["speakers"], Speaker);
	        this.structure = source["structure"];
	        this.style = source["style"];
	        this.minutes = source["minutes"];
	        this.language = source["language"];
	        this.builtIn = source["builtIn"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace tts {
	
	export class Voice {
	    id: string;
	    name: string;
	    language?: string;
	    gender?: string;
	
	    static createFrom(source: any = {}) {
	        return new Voice(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.language = source["language"];
	        this.gender = source["gender"];
	    }
	}

}

